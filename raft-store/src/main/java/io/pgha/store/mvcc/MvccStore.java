package io.pgha.store.mvcc;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The multi-version key space: a sorted index of keys, each with its retained history, the current revision
 * (1 when empty) and the compacted revision (0 if never compacted). Single writer; callers serialise access.
 */
public final class MvccStore {
    private final TreeMap<ByteString, KeyHistory> index = new TreeMap<>(KeyRange.ORDER);
    private long current = 1;
    private long compacted;

    public long revision() {
        return current;
    }

    public long compactRevision() {
        return compacted;
    }

    /** Starts a write at revision {@code revision() + 1}; nothing changes the revision until it commits. */
    public WriteTxn write() {
        return new WriteTxn(this, current + 1);
    }

    void committed(long rev) {
        current = rev;
    }

    KeyHistory history(ByteString key, boolean create) {
        KeyHistory h = index.get(key);
        if (h == null && create) {
            h = new KeyHistory();
            index.put(key, h);
        }
        return h;
    }

    /** Every key of the range alive at {@code rev}, in key order. The caller checks {@code rev} against compaction. */
    public List<KeyValue> rangeAt(KeyRange range, long rev) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyHistory h : range.slice(index).values()) {
            KeyValue kv = h.at(rev);
            if (kv != null) {
                out.add(kv);
            }
        }
        return out;
    }

    /** Checks a read revision as etcd's rangeKeys: 0 or less means {@code cur}. Returns the revision to read at. */
    public long readRevision(long requested, long cur) {
        if (requested > cur) {
            throw EtcdErrors.FUTURE_REV;
        }
        long rev = requested <= 0 ? cur : requested;
        if (rev < compacted) {
            throw EtcdErrors.COMPACTED;
        }
        return rev;
    }

    /** Frees every version no read at or after {@code rev} can see. Errors as etcd's compact. */
    public void compact(long rev) {
        if (rev <= compacted) {
            throw EtcdErrors.COMPACTED;
        }
        if (rev > current) {
            throw EtcdErrors.FUTURE_REV;
        }
        compacted = rev;
        for (Iterator<KeyHistory> it = index.values().iterator(); it.hasNext();) {
            if (it.next().compact(rev)) {
                it.remove();
            }
        }
    }

    /**
     * The retained events of keys in the range with revisions in {@code [from, to]}, in revision order. Each event
     * carries the previous version as prev_kv when it is still retained. Delete events carry key and mod_revision.
     */
    public List<Event> events(KeyRange range, long from, long to) {
        record Found(long main, int sub, Event event) {
        }
        List<Found> found = new ArrayList<>();
        for (Map.Entry<ByteString, KeyHistory> e : range.slice(index).entrySet()) {
            List<KeyVersion> versions = e.getValue().versions();
            for (int i = 0; i < versions.size(); i++) {
                KeyVersion v = versions.get(i);
                if (v.main() < from || v.main() > to) {
                    continue;
                }
                KeyValue prev = i > 0 ? versions.get(i - 1).kv() : null;
                found.add(new Found(v.main(), v.sub(), event(e.getKey(), v, prev)));
            }
        }
        found.sort(Comparator.comparingLong(Found::main).thenComparingInt(Found::sub));
        return found.stream().map(Found::event).toList();
    }

    static Event event(ByteString key, KeyVersion v, KeyValue prev) {
        Event.Builder e = Event.newBuilder();
        if (v.tombstone()) {
            e.setType(Event.EventType.DELETE).setKv(KeyValue.newBuilder().setKey(key).setModRevision(v.main()));
        } else {
            e.setType(Event.EventType.PUT).setKv(v.kv());
        }
        if (prev != null) {
            e.setPrevKv(prev);
        }
        return e.build();
    }

    /** A copy of every key's retained history, in key order, for snapshots. */
    public Map<ByteString, List<KeyVersion>> exportHistory() {
        Map<ByteString, List<KeyVersion>> out = new LinkedHashMap<>();
        index.forEach((k, h) -> out.put(k, List.copyOf(h.versions())));
        return out;
    }

    /** Replaces the whole state, as read from a snapshot. */
    public void restore(Map<ByteString, List<KeyVersion>> history, long revision, long compactRevision) {
        index.clear();
        history.forEach((k, versions) -> index.put(k, new KeyHistory(versions)));
        current = revision;
        compacted = compactRevision;
    }

    /** Number of keys with retained history (live or tombstoned). */
    public int indexedKeys() {
        return index.size();
    }
}
