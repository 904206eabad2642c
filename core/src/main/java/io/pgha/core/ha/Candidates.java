package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.FailoverRequest;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import java.util.Comparator;
import java.util.Optional;

/**
 * Who may become the leader. One predicate ({@link #whyNotCandidate}) is applied both to this node and to every
 * other member, and candidates are ranked by a total order, so for one snapshot at most one member finds itself the
 * best candidate: that is what keeps two nodes from racing for the same free key on the same view.
 */
final class Candidates {
    /** Most advanced first; ties by higher failover_priority, then by name (deterministic, unlike Patroni). */
    static final Comparator<MemberState> BEST_FIRST = Comparator.comparing(MemberState::lsn).reversed()
            .thenComparing(Comparator.comparingInt(MemberState::failoverPriority).reversed())
            .thenComparing(MemberState::name);

    private Candidates() {
    }

    /**
     * Why {@code m} may not hold the leader key and be promoted (rule 3), or empty if it may: it must be running, not
     * tagged nofailover, within maximum_lag_on_failover of the last known primary position, and in synchronous mode
     * a listed synchronous standby (or the leader that wrote the sync key).
     */
    static Optional<String> whyNotPromotable(ClusterView cluster, MemberState m, HaSettings cfg) {
        if (!m.isRunning()) {
            return Optional.of("postgres is not running");
        }
        if (m.noFailover()) {
            return Optional.of("tagged nofailover (or failover_priority <= 0)");
        }
        long lag = lag(cluster, m.lsn());
        if (lag > cfg.maximumLagOnFailover()) {
            return Optional.of("lag " + lag + " bytes exceeds maximum_lag_on_failover " + cfg.maximumLagOnFailover());
        }
        if (cfg.synchronousMode() && !cluster.sync().isSynchronous(m.name())
                && !cluster.sync().leader().equals(m.name())) {
            return Optional.of("synchronous mode and not a synchronous standby");
        }
        return Optional.empty();
    }

    /**
     * {@link #whyNotPromotable} plus the race rules: a pending failover names who races, a switched-out leader sits
     * out.
     */
    static Optional<String> whyNotCandidate(ClusterView cluster, MemberState m, HaSettings cfg) {
        Optional<FailoverRequest> failover = cluster.failover();
        if (failover.flatMap(FailoverRequest::leader).filter(m.name()::equals).isPresent()) {
            return Optional.of("switched out by a failover request");
        }
        Optional<String> candidate = failover.flatMap(FailoverRequest::candidate);
        if (candidate.isPresent() && !candidate.get().equals(m.name())
                && cluster.member(candidate.get()).isPresent()) {
            return Optional.of("failover requested to " + candidate.get());
        }
        return whyNotPromotable(cluster, m, cfg);
    }

    /**
     * Why this node should not race for the free leader key, or empty if it is the best candidate. With a failover
     * candidate named the ranking is skipped: the operator chose (Patroni's manual failover does the same).
     */
    static Optional<String> whyNotRace(ClusterView cluster, LocalView local, HaSettings cfg) {
        MemberState me = local.asMember();
        Optional<String> no = whyNotCandidate(cluster, me, cfg);
        if (no.isPresent()) {
            return no;
        }
        if (cluster.failover().flatMap(FailoverRequest::candidate).filter(me.name()::equals).isPresent()) {
            return Optional.empty();
        }
        return cluster.members().stream()
                .filter(m -> !m.name().equals(me.name()))
                .filter(m -> whyNotCandidate(cluster, m, cfg).isEmpty())
                .filter(m -> BEST_FIRST.compare(m, me) < 0)
                .findFirst()
                .map(better -> better.name() + " is a better candidate (" + better.lsn() + " vs " + me.lsn() + ")");
    }

    /** Bytes behind the last position the primary published; 0 when none is known. */
    static long lag(ClusterView cluster, Lsn lsn) {
        return cluster.leaderLsn().map(lsn::bytesBehind).orElse(0L);
    }
}
