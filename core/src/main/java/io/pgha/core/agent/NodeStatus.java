package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.ha.Decision;
import io.pgha.core.ha.LocalView;
import java.time.Instant;

/**
 * The result of the last HA cycle, as the REST API and the proxy routing read it: the snapshot it decided on, this
 * node's view of itself and the decision. Immutable; replaced as a whole once per cycle.
 *
 * @param cluster  the cluster snapshot of the cycle
 * @param local    this node as seen in the cycle
 * @param decision what the cycle decided
 * @param at       when the cycle's store read was sent
 */
public record NodeStatus(ClusterView cluster, LocalView local, Decision decision, Instant at) {

    /** Runs as primary and holds the leader key (the {@code /primary} health check). */
    public boolean isPrimaryWithKey() {
        return local.isRunningPrimary() && cluster.isLeader(local.name());
    }

    /** A running replica (the {@code /replica} health check). */
    public boolean isRunningReplica() {
        return local.isRunningReplica();
    }
}
