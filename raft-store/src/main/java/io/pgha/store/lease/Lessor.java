package io.pgha.store.lease;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated half of etcd's lessor: deterministic, no clock. Single writer (the apply thread); readers must be
 * serialised with it by the caller.
 */
public final class Lessor {
    /** etcd's MaxLeaseTTL. */
    public static final long MAX_TTL = 9_000_000_000L;
    /** etcd raises TTL 1 to 2 with its default 1 s election timeout (min TTL = ceil(1.5 × election timeout)). */
    public static final long DEFAULT_MIN_TTL = 2;

    private final long minTtl;
    private final TreeMap<Long, Lease> leases = new TreeMap<>();

    public Lessor(long minTtlSeconds) {
        this.minTtl = minTtlSeconds;
    }

    public Lessor() {
        this(DEFAULT_MIN_TTL);
    }

    /** Grants {@code id} (chosen by the proposer, non-zero); the TTL is raised to the minimum. */
    public Lease grant(long id, long ttlSeconds) {
        if (id == 0) {
            throw EtcdErrors.LEASE_NOT_FOUND;
        }
        if (ttlSeconds > MAX_TTL) {
            throw EtcdErrors.LEASE_TTL_TOO_LARGE;
        }
        if (leases.containsKey(id)) {
            throw EtcdErrors.LEASE_EXISTS;
        }
        Lease lease = new Lease(id, Math.max(ttlSeconds, minTtl));
        leases.put(id, lease);
        return lease;
    }

    public boolean exists(long id) {
        return leases.containsKey(id);
    }

    /** The lease, or null. */
    public Lease lookup(long id) {
        return leases.get(id);
    }

    /** Forgets the lease, then deletes its keys in one revision through {@code deleter}. Unknown: NotFound. */
    public void revoke(long id, RangeDeleter deleter) {
        Lease lease = leases.remove(id);
        if (lease == null) {
            throw EtcdErrors.LEASE_NOT_FOUND;
        }
        deleter.deleteKeys(lease.keys());
    }

    /** Attaches a key; callers detach it from its previous lease first. Unknown lease: ignored. */
    public void attach(long id, ByteString key) {
        Lease lease = leases.get(id);
        if (lease != null) {
            lease.keySet().add(key);
        }
    }

    /** Detaches a key; unknown lease (e.g. being revoked): ignored. */
    public void detach(long id, ByteString key) {
        Lease lease = leases.get(id);
        if (lease != null) {
            lease.keySet().remove(key);
        }
    }

    /** Every lease, in ID order. */
    public Collection<Lease> leases() {
        return List.copyOf(leases.values());
    }

    /** Lease ID → granted TTL in seconds, in ID order. */
    public Map<Long, Long> ttls() {
        Map<Long, Long> out = new LinkedHashMap<>();
        leases.forEach((id, l) -> out.put(id, l.ttl()));
        return out;
    }

    /** Replaces every lease, as read from a snapshot (TTLs are restored as granted, not raised again). */
    public void restore(Map<Long, Long> ttls, Map<Long, List<ByteString>> keys) {
        leases.clear();
        ttls.forEach((id, ttl) -> {
            Lease lease = new Lease(id, ttl);
            lease.keySet().addAll(keys.getOrDefault(id, List.of()));
            leases.put(id, lease);
        });
    }
}
