package io.pgha.store.mvcc;

import com.google.protobuf.ByteString;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One write request in progress: every write gets revision {@code rev} and the next sub-revision. Writes go to the
 * index at once, so reads of the same txn see them; the store's revision moves only at {@link #commit()}, and only
 * if something was written. The caller holds the store's write lock from creation to commit.
 */
public final class WriteTxn {
    private final MvccStore store;
    private final long rev;
    private final List<Event> events = new ArrayList<>();
    private int sub;

    WriteTxn(MvccStore store, long rev) {
        this.store = store;
        this.rev = rev;
    }

    public MvccStore store() {
        return store;
    }

    /** The revision this write's reads see, as etcd's txn: the base revision, +1 once something was written. */
    public long readRevision() {
        return events.isEmpty() ? rev - 1 : rev;
    }

    /** The revision of the base state (before this write). */
    public long baseRevision() {
        return rev - 1;
    }

    public boolean changed() {
        return !events.isEmpty();
    }

    public KeyValue get(ByteString key) {
        KeyHistory h = store.history(key, false);
        return h == null ? null : h.latest();
    }

    /** Writes a new version; returns the previous live value, or null. */
    public KeyValue put(ByteString key, ByteString value, long lease) {
        KeyHistory h = store.history(key, true);
        KeyValue prev = h.latest();
        KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value).setLease(lease).setModRevision(rev)
                .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
                .setVersion(prev == null ? 1 : prev.getVersion() + 1).build();
        KeyVersion v = new KeyVersion(rev, sub++, kv);
        h.add(v);
        events.add(MvccStore.event(key, v, prev));
        return prev;
    }

    /** Tombstones every live key of the range; returns their previous values in key order. */
    public List<KeyValue> deleteRange(KeyRange range) {
        List<KeyValue> gone = store.rangeAt(range, Long.MAX_VALUE);
        for (KeyValue prev : gone) {
            KeyVersion v = new KeyVersion(rev, sub++, null);
            store.history(prev.getKey(), false).add(v);
            events.add(MvccStore.event(prev.getKey(), v, prev));
        }
        return gone;
    }

    /** Makes the writes current; returns their events (each with prev_kv when there was one), in write order. */
    public List<Event> commit() {
        if (!events.isEmpty()) {
            store.committed(rev);
        }
        return List.copyOf(events);
    }
}
