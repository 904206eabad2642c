package io.pgha.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.Collections;
import java.util.Comparator;
import java.util.NavigableMap;
import java.util.SortedMap;

/**
 * A key range with etcd's rules: {@code [key, end)}; an empty end means the single key; an end of {@code "\0"}
 * means every key from {@code key} on (so key {@code "\0"} with end {@code "\0"} is the whole key space).
 * Keys order as unsigned bytes, as Go's string comparison.
 */
public record KeyRange(ByteString key, ByteString end) {
    public static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();
    public static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    public static KeyRange of(ByteString key, ByteString rangeEnd) {
        return new KeyRange(key, rangeEnd);
    }

    public static KeyRange single(ByteString key) {
        return new KeyRange(key, ByteString.EMPTY);
    }

    public boolean contains(ByteString k) {
        int fromKey = ORDER.compare(k, key);
        if (end.isEmpty()) {
            return fromKey == 0;
        }
        return fromKey >= 0 && (end.equals(ZERO) || ORDER.compare(k, end) < 0);
    }

    /** The part of a map keyed by {@link #ORDER} that lies in this range; a view, not a copy. */
    public <V> SortedMap<ByteString, V> slice(NavigableMap<ByteString, V> map) {
        if (end.isEmpty()) {
            return map.subMap(key, true, key, true);
        }
        if (end.equals(ZERO)) {
            return map.tailMap(key, true);
        }
        if (ORDER.compare(key, end) >= 0) {
            return Collections.emptySortedMap();
        }
        return map.subMap(key, true, end, false);
    }
}
