package io.pgha.store.raft;

import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LogEntry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the leader's lease clock into replicated expiries: every poll, each lease the {@link LeaderLeases} clock
 * says is due is proposed once as a {@code lease_expire} entry. Replicas never expire leases on their own, so
 * they cannot diverge. A proposal that fails (leadership moved, no quorum) is handed out again on a later poll by
 * whoever is leader then; the new leader's state machine refuses an expiry its own clock does not agree with.
 */
final class LeaseExpiryDriver implements AutoCloseable {
    static final long POLL_MILLIS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiryDriver.class);

    private final LeaderLeases leases;
    private final RaftCalls calls;
    private final ScheduledFuture<?> task;

    LeaseExpiryDriver(LeaderLeases leases, RaftCalls calls, ScheduledExecutorService scheduler) {
        this.leases = leases;
        this.calls = calls;
        this.task = scheduler.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            proposeDue();
        } catch (RuntimeException e) {
            // a failed poll must not cancel the periodic task: the next one retries
            LOG.warn("lease expiry poll failed", e);
        }
    }

    private void proposeDue() {
        for (long id : leases.takeExpired()) {
            LogEntry entry = LogEntry.newBuilder().setLeaseExpire(LeaseRevokeRequest.newBuilder().setID(id)).build();
            calls.write(entry).whenComplete((reply, error) -> {
                if (error != null) {
                    LOG.debug("expiry of lease {} not committed, will retry: {}", id, error.toString());
                    leases.retryLater(id);
                }
            });
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
