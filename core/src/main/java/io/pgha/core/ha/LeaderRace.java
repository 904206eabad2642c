package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.InitializeKey;
import java.util.Optional;

/**
 * The two races: for the {@code initialize} key when the cluster does not exist yet, and for the free leader key.
 * Both are settled by a compare-and-set in the store; the decision only says who may enter. At most one member can
 * hold the initialize claim, and only the claimant runs initdb, so at most one node bootstraps a cluster.
 */
final class LeaderRace {
    private LeaderRace() {
    }

    /**
     * The bootstrap phase, until the system identifier is recorded; empty once the cluster is initialized and this
     * node's data belongs to it (or it has none yet).
     */
    static Optional<Decision> bootstrapPhase(ClusterView cluster, LocalView local) {
        Optional<InitializeKey> init = cluster.initialize();
        if (init.isEmpty()) {
            if (local.asMember().noFailover()) {
                return Optional.of(Decision.noop("waiting for another member to bootstrap the cluster (nofailover)"));
            }
            return Optional.of(Decision.of(new Action.ClaimInitialize(),
                    "no initialize key: the cluster does not exist"));
        }
        Optional<String> claimant = init.get().claimant();
        if (claimant.isPresent()) {
            if (!claimant.get().equals(local.name())) {
                return Optional.of(Decision.noop("waiting for " + claimant.get() + " to bootstrap the cluster"));
            }
            if (!local.dataDirPresent() && cluster.leader().filter(l -> !l.name().equals(local.name())).isPresent()) {
                return Optional.of(Decision.noop("holding the initialize claim, but "
                        + cluster.leader().get().name() + " holds the leader key; not bootstrapping"));
            }
            if (!local.dataDirPresent()) {
                return Optional.of(Decision.of(new Action.Bootstrap(), "won the initialize race"));
            }
            return Optional.empty();
        }
        String clusterId = init.get().systemIdentifier().orElseThrow();
        if (local.systemId().isPresent() && !local.systemId().get().equals(clusterId)) {
            return Optional.of(Decision.noop("refusing to start: data directory has system id " + local.systemId().get()
                    + " but cluster " + cluster.cluster() + " has " + clusterId));
        }
        return Optional.empty();
    }

    /** Nobody holds the leader key: race for it only as the best candidate, else say why not. */
    static Decision race(ClusterView cluster, LocalView local, HaSettings cfg) {
        Optional<String> claimant = cluster.initialize().flatMap(InitializeKey::claimant);
        if (claimant.isPresent()) {
            // During bootstrap only the claimant may lead: the others have no data of this cluster yet.
            return claimant.get().equals(local.name())
                    ? Decision.of(new Action.AcquireLeader(), "bootstrapped the cluster; taking the leader key")
                    : Decision.noop("waiting for " + claimant.get() + " to bootstrap the cluster");
        }
        Optional<String> no = Candidates.whyNotRace(cluster, local, cfg);
        return no.map(reason -> Decision.noop("no leader; not racing: " + reason))
                .orElseGet(() -> Decision.of(new Action.AcquireLeader(), "no leader and this is the best candidate"));
    }
}
