package io.pgha.store.raft;

import io.pgha.store.EtcdErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The leader's lease clock: when each granted lease expires, on a monotonic clock. Only the leader's copy is
 * active, so only the leader renews leases and decides expiry (etcd's lessor). It is not replicated: a new leader
 * is {@link #promote promoted} with every lease at its full TTL from the moment it became ready, so a lease never
 * expires early because leadership moved (it may live up to one TTL longer, as in etcd).
 *
 * <p>Thread-safe: the apply thread reports grants and revokes, query threads renew, the expiry driver polls.
 */
public final class LeaderLeases {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoClock;
    private final Map<Long, Lease> leases = new HashMap<>();
    /** Leases whose expiry has been proposed but not applied yet; not proposed twice. */
    private final Set<Long> expiring = new HashSet<>();
    private boolean leader;

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production) */
    public LeaderLeases(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Becomes the deciding clock; every lease (ID to granted TTL in seconds) gets its full TTL from now. */
    public synchronized void promote(Map<Long, Long> ttls) {
        leader = true;
        leases.clear();
        expiring.clear();
        long now = nanoClock.getAsLong();
        ttls.forEach((id, ttl) -> leases.put(id, new Lease(ttl, now + ttl * NANOS_PER_SECOND)));
    }

    /** Stops deciding; renewals are refused until the next promotion. */
    public synchronized void demote() {
        leader = false;
        leases.clear();
        expiring.clear();
    }

    public synchronized boolean isLeader() {
        return leader;
    }

    /** A grant was applied. Ignored unless leader (followers learn leases at promotion). */
    public synchronized void granted(long id, long ttlSeconds) {
        if (leader) {
            leases.put(id, new Lease(ttlSeconds, nanoClock.getAsLong() + ttlSeconds * NANOS_PER_SECOND));
        }
    }

    /** A revoke or expiry was applied. */
    public synchronized void revoked(long id) {
        leases.remove(id);
        expiring.remove(id);
    }

    /**
     * Renews the lease to its full TTL and returns that TTL; 0 for a lease that is unknown or already expired
     * (its revoke is on the way), as etcd answers. Throws {@link EtcdErrors#NOT_LEADER} when not the leader.
     */
    public synchronized long keepAlive(long id) {
        requireLeader();
        Lease lease = leases.get(id);
        long now = nanoClock.getAsLong();
        if (lease == null || lease.expiresAt <= now || expiring.contains(id)) {
            return 0;
        }
        leases.put(id, new Lease(lease.ttl, now + lease.ttl * NANOS_PER_SECOND));
        return lease.ttl;
    }

    /**
     * Whether this leader's clock agrees that the lease is due: the guard against an expiry proposed by a
     * previous leader reaching a new one, whose clock restarted the lease at promotion. An unknown lease is due
     * (its expiry applies as a no-op).
     */
    public synchronized boolean isDue(long id) {
        Lease lease = leases.get(id);
        return leader && (lease == null || lease.expiresAt <= nanoClock.getAsLong());
    }

    /** Whole seconds left (truncated, as etcd), 0 once expired, -1 for an unknown lease. Leader only. */
    public synchronized long remainingSeconds(long id) {
        requireLeader();
        Lease lease = leases.get(id);
        if (lease == null) {
            return -1;
        }
        return Math.max(0, (lease.expiresAt - nanoClock.getAsLong()) / NANOS_PER_SECOND);
    }

    /** Expired leases not yet handed out; each is returned once until {@link #retryLater} or a demotion. */
    public synchronized List<Long> takeExpired() {
        List<Long> due = new ArrayList<>();
        if (!leader) {
            return due;
        }
        long now = nanoClock.getAsLong();
        leases.forEach((id, lease) -> {
            if (lease.expiresAt <= now && expiring.add(id)) {
                due.add(id);
            }
        });
        return due;
    }

    /** The expiry proposal for {@code id} failed; hand it out again on a later poll. */
    public synchronized void retryLater(long id) {
        expiring.remove(id);
    }

    private void requireLeader() {
        if (!leader) {
            throw EtcdErrors.NOT_LEADER;
        }
    }

    private record Lease(long ttl, long expiresAt) {
    }
}
