package io.pgha.store.lease;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/** A granted lease: its ID, its TTL in seconds (after raising to the minimum) and the keys attached to it. */
public final class Lease {
    private final long id;
    private final long ttl;
    private final NavigableSet<ByteString> keys = new TreeSet<>(ByteString.unsignedLexicographicalComparator());

    Lease(long id, long ttl) {
        this.id = id;
        this.ttl = ttl;
    }

    public long id() {
        return id;
    }

    public long ttl() {
        return ttl;
    }

    /** The attached keys in key order (a copy). */
    public List<ByteString> keys() {
        return List.copyOf(keys);
    }

    NavigableSet<ByteString> keySet() {
        return keys;
    }
}
