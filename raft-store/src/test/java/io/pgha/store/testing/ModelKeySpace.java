package io.pgha.store.testing;

import com.google.protobuf.ByteString;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference model's key space: the whole key space at every revision, each an immutable sorted map, plus the
 * events that produced it. Nothing is ever freed, compaction is only a number: simplicity over memory.
 */
final class ModelKeySpace {
    static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    /** One revision of the whole key space. */
    record Rev(Map<ByteString, KeyValue> kvs, List<Event> events) {
    }

    private final List<Rev> revs = new ArrayList<>();
    private long compacted;

    ModelKeySpace() {
        revs.add(new Rev(Collections.unmodifiableMap(new TreeMap<>(ByteString.unsignedLexicographicalComparator())),
                List.of()));
    }

    long current() {
        return revs.size();
    }

    long compacted() {
        return compacted;
    }

    void compact(long rev) {
        compacted = rev;
    }

    Rev at(long rev) {
        return revs.get((int) rev - 1);
    }

    void append(Map<ByteString, KeyValue> kvs, List<Event> events) {
        TreeMap<ByteString, KeyValue> copy = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
        copy.putAll(kvs);
        revs.add(new Rev(Collections.unmodifiableMap(copy), List.copyOf(events)));
    }

    /** A copy of the current key space to write into. */
    TreeMap<ByteString, KeyValue> draft() {
        TreeMap<ByteString, KeyValue> copy = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
        copy.putAll(at(current()).kvs());
        return copy;
    }

    static boolean inRange(ByteString k, ByteString key, ByteString end) {
        int fromKey = ByteString.unsignedLexicographicalComparator().compare(k, key);
        if (end.isEmpty()) {
            return fromKey == 0;
        }
        if (end.equals(ZERO)) {
            return fromKey >= 0;
        }
        return fromKey >= 0 && ByteString.unsignedLexicographicalComparator().compare(k, end) < 0;
    }

    static List<KeyValue> select(Map<ByteString, KeyValue> kvs, ByteString key, ByteString end) {
        List<KeyValue> out = new ArrayList<>();
        for (KeyValue kv : kvs.values()) {
            if (inRange(kv.getKey(), key, end)) {
                out.add(kv);
            }
        }
        return out;
    }
}
