package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.MemberState;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;

/**
 * Tells, on this node's own monotonic clock, when the leader key's holder has stopped renewing it. Every renewal
 * re-puts the key, so a new revision is proof of life; a revision unchanged for a whole {@code ttl} since this node
 * first saw it means the holder has been silent for longer than its own fence allows it to keep Postgres writable
 * (it fences at last renewal sent + ttl - safety_margin, and this node saw that renewal no earlier than it was
 * sent). The store's lease gives the same verdict on its own, but later whenever the dead node also led the store:
 * a new store leader restarts every lease at its full TTL. The longer of our ttl and the TTL the holder's lease was
 * granted with is used, so a holder running with a longer ttl is never cut short. Used by the loop thread only.
 */
final class LeaderSilence {
    private final String self;
    private long revision = -1;
    private long seenAtNanos;
    private long leaseId;
    private long leaseTtlSeconds;

    LeaderSilence(String self) {
        this.self = self;
    }

    /**
     * The leader key if another member holds it and has not renewed it for a whole ttl; {@code grantedTtl} reads the
     * TTL a lease was granted with (seconds, 0 or less if gone), asked once per lease.
     */
    Optional<LeaderKey> silent(ClusterView view, long nowNanos, Duration ttl, LongUnaryOperator grantedTtl) {
        Optional<LeaderKey> leader = view.leader().filter(l -> !l.name().equals(self));
        if (leader.isEmpty()) {
            revision = -1;
            return Optional.empty();
        }
        LeaderKey key = leader.get();
        if (key.modRevision() != revision) {
            revision = key.modRevision();
            seenAtNanos = nowNanos;
            return Optional.empty();
        }
        if (key.leaseId() != leaseId) {
            leaseTtlSeconds = grantedTtl.applyAsLong(key.leaseId());
            leaseId = key.leaseId();
        }
        long wait = Math.max(ttl.toNanos(), Duration.ofSeconds(leaseTtlSeconds).toNanos());
        return nowNanos - seenAtNanos >= wait ? leader : Optional.empty();
    }

    /**
     * The leader key if another member holds it, has not renewed it for {@code after}, and its node answers
     * connection attempts with a refusal ({@code gone}): its agent and Postgres are dead while the machine is up,
     * so nothing is left to accept writes and waiting out the rest of the ttl only prolongs the outage. A busy,
     * frozen or cut-off node never refuses: the kernel completes the handshake for a stopped process, and a
     * partition or a dropping firewall gives timeouts. Call after {@link #silent} in the same cycle.
     */
    Optional<LeaderKey> gone(ClusterView view, long nowNanos, Duration after, Predicate<MemberState> gone) {
        Optional<LeaderKey> leader = view.leader().filter(l -> !l.name().equals(self));
        if (leader.isEmpty() || leader.get().modRevision() != revision || nowNanos - seenAtNanos < after.toNanos()) {
            return Optional.empty();
        }
        return view.leaderMember().filter(gone).isPresent() ? leader : Optional.empty();
    }

    /** How long the current holder has been silent as this node sees it, for the log. */
    Duration silentFor(long nowNanos) {
        return Duration.ofNanos(revision == -1 ? 0 : nowNanos - seenAtNanos);
    }
}
