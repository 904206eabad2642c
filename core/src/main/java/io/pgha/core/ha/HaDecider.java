package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.postgres.PostgresState;
import java.time.Instant;
import java.util.Optional;

/**
 * The HA decision (STYLE P2): one snapshot of the cluster and of this node in, one {@link Action} out. Pure: no I/O,
 * no clock (the caller passes {@code now}), no sleeping, no state between calls. The branch order follows Patroni's
 * {@code _run_cycle}: a running job, the bootstrap race, joining, rejoining a former primary, starting, then the
 * duties of the current role. Each branch lives in a small decider.
 */
public final class HaDecider {
    private HaDecider() {
    }

    /**
     * Decides what this node does in this cycle.
     *
     * @param cluster the snapshot read at the start of the cycle
     * @param local   this node's Postgres and the agent's memory
     * @param cfg     the HA settings
     * @param now     the cycle's time, used only to judge the leader lease (rule 1)
     */
    public static Decision decide(ClusterView cluster, LocalView local, HaSettings cfg, Instant now) {
        if (local.isRunningPrimary() && cluster.isLeader(local.name()) && !leaseFresh(local, cfg, now)) {
            // Rule 1 outranks everything, a running job included: writes must stop before the key can move.
            return LeaderDuties.asPrimary(cluster, local, cfg, now);
        }
        if (local.jobInProgress().isPresent()) {
            if (cluster.isLeader(local.name()) && leaseFresh(local, cfg, now)) {
                // The key's holder keeps renewing while its promotion (or restart) runs on the worker: a promotion
                // that outlasts ttl - safety_margin on a loaded host would otherwise be fenced by its own node.
                return Decision.of(new Action.RenewLeader(), "in progress: " + local.jobInProgress().get()
                        + "; keeping the leader key");
            }
            return Decision.noop("in progress: " + local.jobInProgress().get());
        }
        Optional<Decision> boot = LeaderRace.bootstrapPhase(cluster, local);
        if (boot.isPresent()) {
            return boot.get();
        }
        if (!local.dataDirPresent()) {
            return ReplicaDuties.join(cluster, local);
        }
        Optional<Decision> planned = PlannedOps.decide(cluster, local, cfg, now);
        if (planned.isPresent()) {
            return planned.get();
        }
        Optional<Decision> rejoin = Recovery.rejoin(cluster, local, cfg);
        if (rejoin.isPresent()) {
            return rejoin.get();
        }
        if (local.state() == PostgresState.STARTING) {
            return Decision.noop("postgres is starting");
        }
        if (!local.state().isUp()) {
            return ReplicaDuties.start(cluster, local, cfg, now);
        }
        if (local.isRunningPrimary()) {
            return LeaderDuties.asPrimary(cluster, local, cfg, now);
        }
        if (local.isRunningReplica()) {
            return ReplicaDuties.asReplica(cluster, local, cfg, now);
        }
        return Decision.noop("postgres is running but its role is unknown; waiting for it to answer");
    }

    /**
     * Rule 1: the lease still protects us. It is fresh only until {@code ttl - safety_margin} after the send time of
     * the last successful renewal; counting from the send time (not the reply) makes the estimate conservative.
     */
    static boolean leaseFresh(LocalView local, HaSettings cfg, Instant now) {
        return local.lastRenewSent().map(sent -> now.isBefore(sent.plus(cfg.demoteAfter()))).orElse(false);
    }
}
