package io.pgha.store.mvcc;

import io.pgha.store.proto.KeyValue;
import java.util.ArrayList;
import java.util.List;

/** The retained versions of one key, oldest first. Not thread-safe: guarded by the store's lock. */
final class KeyHistory {
    private final ArrayList<KeyVersion> versions;

    KeyHistory() {
        versions = new ArrayList<>(2);
    }

    KeyHistory(List<KeyVersion> restored) {
        versions = new ArrayList<>(restored);
    }

    List<KeyVersion> versions() {
        return versions;
    }

    /** The live value now, or null if the key is deleted. */
    KeyValue latest() {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1).kv();
    }

    /** The value as of revision {@code rev}, or null if absent then. */
    KeyValue at(long rev) {
        int i = lastAtOrBefore(rev);
        return i < 0 ? null : versions.get(i).kv();
    }

    private int lastAtOrBefore(long rev) {
        int lo = 0;
        int hi = versions.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (versions.get(mid).main() <= rev) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    void add(KeyVersion v) {
        versions.add(v);
    }

    /**
     * Forgets every version older than the one visible at {@code rev}, and that one too if it is a tombstone, as
     * etcd's keyIndex.compact. Returns true if nothing is left.
     */
    boolean compact(long rev) {
        int keep = lastAtOrBefore(rev);
        if (keep >= 0) {
            int from = versions.get(keep).tombstone() ? keep + 1 : keep;
            versions.subList(0, from).clear();
            versions.trimToSize();
        }
        return versions.isEmpty();
    }
}
