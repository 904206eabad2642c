package io.pgha.store.lease;

import io.pgha.store.EtcdErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The leader's lease deadlines on a monotonic clock: not replicated, never read while applying. The leader proposes
 * a {@code lease_expire} entry for each of {@link #expired()}; keep-alives only move a deadline. On becoming leader,
 * {@link #promote} gives every lease a fresh deadline (now + TTL + extra), as etcd's {@code lessor.Promote}, so that
 * a leader change never expires a lease its client kept alive. Thread-safe.
 */
public final class LeaseClock {
    private final LongSupplier nanoTime;
    private final Map<Long, Entry> deadlines = new HashMap<>();
    private boolean primary;

    private record Entry(long ttlSeconds, long deadlineNanos) {
    }

    public LeaseClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Starts tracking a lease just granted (applied), with its granted TTL. */
    public synchronized void grant(long id, long ttlSeconds) {
        deadlines.put(id, new Entry(ttlSeconds, nanoTime.getAsLong() + TimeUnit.SECONDS.toNanos(ttlSeconds)));
    }

    /** Stops tracking a lease that was revoked or expired (applied). */
    public synchronized void forget(long id) {
        deadlines.remove(id);
    }

    /**
     * Renews the lease to its full TTL and returns that TTL; 0 if unknown or already past its deadline (as etcd,
     * not an error). Only the leader renews: on a non-leader this throws {@link EtcdErrors#NOT_LEADER}.
     */
    public synchronized long keepAlive(long id) {
        if (!primary) {
            throw EtcdErrors.NOT_LEADER;
        }
        Entry e = deadlines.get(id);
        long now = nanoTime.getAsLong();
        if (e == null || now - e.deadlineNanos() >= 0) {
            return 0;
        }
        deadlines.put(id, new Entry(e.ttlSeconds(), now + TimeUnit.SECONDS.toNanos(e.ttlSeconds())));
        return e.ttlSeconds();
    }

    /** Seconds left, rounded up; 0 once past the deadline; -1 if unknown. */
    public synchronized long remainingTtl(long id) {
        Entry e = deadlines.get(id);
        if (e == null) {
            return -1;
        }
        long left = e.deadlineNanos() - nanoTime.getAsLong();
        return left <= 0 ? 0 : (left + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }

    /** Leases past their deadline, in ID order; empty unless this member is the leader. */
    public synchronized List<Long> expired() {
        List<Long> out = new ArrayList<>();
        if (!primary) {
            return out;
        }
        long now = nanoTime.getAsLong();
        deadlines.forEach((id, e) -> {
            if (now - e.deadlineNanos() >= 0) {
                out.add(id);
            }
        });
        out.sort(null);
        return out;
    }

    /** Becomes the leader's clock: every lease of {@code ttls} (ID → granted TTL) gets now + TTL + extra. */
    public synchronized void promote(Map<Long, Long> ttls, long extraMillis) {
        long now = nanoTime.getAsLong();
        deadlines.clear();
        ttls.forEach((id, ttl) -> deadlines.put(id,
                new Entry(ttl, now + TimeUnit.SECONDS.toNanos(ttl) + TimeUnit.MILLISECONDS.toNanos(extraMillis))));
        primary = true;
    }

    /** No longer the leader: expires nothing and renews nothing until promoted again. */
    public synchronized void demote() {
        primary = false;
    }

    public synchronized boolean isPrimary() {
        return primary;
    }
}
