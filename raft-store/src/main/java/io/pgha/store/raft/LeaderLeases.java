package io.pgha.store.raft;

import io.pgha.store.EtcdErrors;
import io.pgha.store.lease.LeaseClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The leader's side of leases in the Raft layer: a {@link LeaseClock} (deadlines on a monotonic clock, renewed by
 * keep-alives, restarted in full at promotion) plus the bookkeeping of expiries already proposed. Only the leader's
 * clock is active, so only the leader renews leases and decides expiry (etcd's lessor); it is not replicated.
 * A new leader is {@link #promote promoted} with every lease at its full TTL from the moment it became ready, so a
 * lease never expires early because leadership moved (it may live up to one TTL longer, as in etcd).
 *
 * <p>Thread-safe: the apply thread reports grants and revokes, query threads renew, the expiry driver polls.
 */
public final class LeaderLeases {
    private final LeaseClock clock;
    /** Leases whose expiry has been proposed but not applied yet; not proposed twice. */
    private final Set<Long> expiring = new HashSet<>();

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime} in production) */
    public LeaderLeases(LongSupplier nanoClock) {
        this.clock = new LeaseClock(nanoClock);
    }

    /** Becomes the deciding clock; every lease (ID to granted TTL in seconds) gets its full TTL from now. */
    public synchronized void promote(Map<Long, Long> ttls) {
        expiring.clear();
        clock.promote(ttls, 0);
    }

    /** Stops deciding; renewals are refused until the next promotion. */
    public synchronized void demote() {
        expiring.clear();
        clock.demote();
    }

    public synchronized boolean isLeader() {
        return clock.isPrimary();
    }

    /** A grant was applied. */
    public synchronized void granted(long id, long ttlSeconds) {
        clock.grant(id, ttlSeconds);
    }

    /** A revoke or expiry was applied. */
    public synchronized void revoked(long id) {
        clock.forget(id);
        expiring.remove(id);
    }

    /**
     * Renews the lease to its full TTL and returns that TTL; 0 for a lease that is unknown or already expired
     * (its revoke is on the way), as etcd answers. Throws {@link EtcdErrors#NOT_LEADER} when not the leader.
     */
    public synchronized long keepAlive(long id) {
        requireLeader();
        return expiring.contains(id) ? 0 : clock.keepAlive(id);
    }

    /** Whole seconds left (rounded up), 0 once expired, -1 for an unknown lease. Leader only. */
    public synchronized long remainingSeconds(long id) {
        requireLeader();
        return clock.remainingTtl(id);
    }

    /**
     * Whether this leader's clock agrees that the lease is due: the guard against an expiry proposed by a
     * previous leader reaching a new one, whose clock restarted the lease at promotion. An unknown lease is due
     * (its expiry applies as a no-op).
     */
    public synchronized boolean isDue(long id) {
        return clock.isPrimary() && clock.remainingTtl(id) <= 0;
    }

    /** Expired leases not yet handed out; each is returned once until {@link #retryLater} or a demotion. */
    public synchronized List<Long> takeExpired() {
        List<Long> due = new ArrayList<>();
        for (long id : clock.expired()) {
            if (expiring.add(id)) {
                due.add(id);
            }
        }
        return due;
    }

    /** The expiry proposal for {@code id} failed; hand it out again on a later poll. */
    public synchronized void retryLater(long id) {
        expiring.remove(id);
    }

    private void requireLeader() {
        if (!clock.isPrimary()) {
            throw EtcdErrors.NOT_LEADER;
        }
    }
}
