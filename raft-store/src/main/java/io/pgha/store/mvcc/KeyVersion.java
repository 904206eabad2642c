package io.pgha.store.mvcc;

import io.pgha.store.proto.KeyValue;

/**
 * One retained version of a key: written at revision {@code main}, as the {@code sub}-th write of that revision.
 * {@code kv} is null for a tombstone (the key was deleted at that revision).
 */
public record KeyVersion(long main, int sub, KeyValue kv) {
    public boolean tombstone() {
        return kv == null;
    }
}
