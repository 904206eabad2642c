package io.pgha.core.dcs;

import java.util.Optional;

/**
 * The {@code failover} key: a requested switchover (leader set) or failover (only candidate set). Empty strings are
 * normalised to absent. {@code modRevision} is the CAS base for clearing it.
 */
public record FailoverRequest(Optional<String> leader, Optional<String> candidate, long modRevision) {
    public FailoverRequest {
        leader = leader.filter(s -> !s.isBlank());
        candidate = candidate.filter(s -> !s.isBlank());
    }
}
