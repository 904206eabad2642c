package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import java.util.Optional;

/**
 * The candidate rules the decision uses, for the REST API to refuse a planned operation up front with the same
 * reason the leader would give (Patroni's 412).
 */
public final class Eligibility {
    private Eligibility() {
    }

    /** Why {@code name} may not become the leader now, or empty if it may. */
    public static Optional<String> whyNot(ClusterView cluster, String name, HaSettings cfg) {
        Optional<MemberState> m = cluster.member(name);
        if (m.isEmpty()) {
            return Optional.of("not a member of cluster " + cluster.cluster());
        }
        return Candidates.whyNotPromotable(cluster, m.get(), cfg);
    }

    /** The best member other than {@code except} that may become the leader. */
    public static Optional<String> best(ClusterView cluster, String except, HaSettings cfg) {
        return cluster.members().stream()
                .filter(m -> !m.name().equals(except))
                .filter(m -> Candidates.whyNotPromotable(cluster, m, cfg).isEmpty())
                .sorted(Candidates.BEST_FIRST).map(MemberState::name).findFirst();
    }
}
