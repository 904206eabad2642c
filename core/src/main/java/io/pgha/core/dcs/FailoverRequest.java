package io.pgha.core.dcs;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@code failover} key: a requested switchover (leader set) or failover (only candidate set), Patroni's
 * {@code {leader, member, scheduled_at}}. Empty strings are normalised to absent. {@code force} marks a manual
 * failover the operator forced past the candidate checks. {@code modRevision} is the CAS base for clearing it.
 */
public record FailoverRequest(Optional<String> leader, Optional<String> candidate, Optional<Instant> scheduledAt,
                              boolean force, long modRevision) {
    public FailoverRequest {
        leader = leader.filter(s -> !s.isBlank());
        candidate = candidate.filter(s -> !s.isBlank());
        scheduledAt = scheduledAt == null ? Optional.empty() : scheduledAt;
    }

    /** An immediate, unforced request. */
    public FailoverRequest(Optional<String> leader, Optional<String> candidate, long modRevision) {
        this(leader, candidate, Optional.empty(), false, modRevision);
    }

    /** A switchover names the leader to switch away from; a failover only the candidate. */
    public boolean isSwitchover() {
        return leader.isPresent();
    }

    /** Whether a scheduled request is due at {@code now} (an unscheduled one always is). */
    public boolean isDue(Instant now) {
        return scheduledAt.map(at -> !now.isBefore(at)).orElse(true);
    }
}
