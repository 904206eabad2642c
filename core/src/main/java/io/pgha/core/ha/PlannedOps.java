package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.FailoverRequest;
import io.pgha.core.dcs.MemberState;
import java.time.Instant;
import java.util.Optional;

/**
 * The operator's planned operations as decision rows: a switchover (the leader checkpoints, stops cleanly and hands
 * the key over; the candidate takes it and promotes; the new leader clears the request), a forced manual failover,
 * the refusal of a request that cannot be carried out, and maintenance mode (paused: nothing is promoted, demoted,
 * started or rewound automatically). Empty when none applies and the normal duties decide.
 */
final class PlannedOps {
    private PlannedOps() {
    }

    static Optional<Decision> decide(ClusterView cluster, LocalView local, HaSettings cfg, Instant now) {
        Optional<FailoverRequest> request = cluster.failover();
        boolean leader = cluster.isLeader(local.name());
        boolean fresh = HaDecider.leaseFresh(local, cfg, now);
        if (request.isPresent() && leader && local.isRunningPrimary() && fresh) {
            Optional<Decision> asLeader = asLeader(cluster, local, cfg, request.get(), now);
            if (asLeader.isPresent()) {
                return asLeader;
            }
        }
        if (request.isPresent() && leader && !local.state().isUp() && switchedOut(request.get(), local)) {
            return Optional.of(Decision.of(new Action.ReleaseLeader("switchover: postgres stopped cleanly, handing "
                    + "the key to " + request.get().candidate().orElse("the best candidate")), "switchover"));
        }
        if (request.isPresent() && request.get().force() && !request.get().isSwitchover()
                && request.get().candidate().filter(local.name()::equals).isPresent() && local.isRunningReplica()) {
            return Optional.of(forcedFailover(cluster, local, fresh));
        }
        if (cluster.paused()) {
            return paused(cluster, local, request);
        }
        return Optional.empty();
    }

    /** The leader's rows: carry out a due switchover away from us, refuse an impossible one, clear a done one. */
    private static Optional<Decision> asLeader(ClusterView cluster, LocalView local, HaSettings cfg,
                                              FailoverRequest request, Instant now) {
        long rev = request.modRevision();
        if (!switchedOut(request, local)) {
            return Optional.of(Decision.of(new Action.ClearFailover(rev, "done: " + local.name() + " leads"),
                    "the request is fulfilled or names another leader"));
        }
        if (!request.isDue(now)) {
            return Optional.empty();
        }
        Optional<String> candidate = request.candidate();
        if (candidate.isPresent()) {
            Optional<MemberState> m = cluster.member(candidate.get());
            Optional<String> no = m.isEmpty() ? Optional.of("not a member of the cluster")
                    : Candidates.whyNotPromotable(cluster, m.get(), cfg);
            if (no.isPresent()) {
                return Optional.of(Decision.of(new Action.ClearFailover(rev, "switchover to " + candidate.get()
                        + " refused: " + no.get()), "candidate not eligible"));
            }
            return Optional.of(Decision.of(new Action.Demote("switchover to " + candidate.get(),
                    Action.StopMode.GRACEFUL), "switchover requested"));
        }
        Optional<String> best = cluster.members().stream()
                .filter(m -> !m.name().equals(local.name()))
                .filter(m -> Candidates.whyNotPromotable(cluster, m, cfg).isEmpty())
                .sorted(Candidates.BEST_FIRST).map(MemberState::name).findFirst();
        return Optional.of(best.map(b -> Decision.of(new Action.Demote("switchover to " + b,
                Action.StopMode.GRACEFUL), "switchover requested"))
                .orElseGet(() -> Decision.of(new Action.ClearFailover(rev, "switchover refused: no eligible "
                        + "candidate"), "no member may be promoted")));
    }

    /** A request moves the key away from us: a switchover naming us (or no leader) and not us as candidate. */
    static boolean switchedOut(FailoverRequest request, LocalView local) {
        return request.leader().map(local.name()::equals).orElse(false)
                && !request.candidate().map(local.name()::equals).orElse(false);
    }

    /** The operator forced this replica past the candidate checks: take the free key, then promote. */
    private static Decision forcedFailover(ClusterView cluster, LocalView local, boolean fresh) {
        if (cluster.leader().isEmpty()) {
            return Decision.of(new Action.AcquireLeader(), "forced manual failover to this node");
        }
        if (cluster.isLeader(local.name())) {
            return fresh ? Decision.of(new Action.Promote(), "forced manual failover to this node")
                    : Decision.of(new Action.ReleaseLeader("lease too old to promote on"), "rule 1");
        }
        return Decision.noop("forced failover requested, but " + cluster.leader().get().name()
                + " holds the leader key");
    }

    /** Maintenance mode: keep what is, change nothing; a switchover's candidate still acts on the request. */
    private static Optional<Decision> paused(ClusterView cluster, LocalView local, Optional<FailoverRequest> request) {
        if (cluster.isLeader(local.name())) {
            if (local.isRunningReplica()) {
                return Optional.of(Decision.of(new Action.ReleaseLeader("paused: not promoting"), "maintenance mode"));
            }
            String why = local.isRunningPrimary() ? "paused: holding the leader key"
                    : "paused: postgres is " + local.state().name().toLowerCase() + "; not starting it";
            return Optional.of(Decision.of(new Action.RenewLeader(), why));
        }
        if (local.isRunningPrimary()) {
            return Optional.of(cluster.leader().isEmpty()
                    ? Decision.of(new Action.AcquireLeader(), "paused: the running primary retakes the free key")
                    : Decision.noop("paused: " + cluster.leader().get().name() + " holds the leader key; not "
                    + "demoting"));
        }
        if (request.flatMap(FailoverRequest::candidate).filter(local.name()::equals).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(Decision.noop("paused: maintenance mode, no automatic action"
                + cluster.leader().map(l -> " (leader " + l.name() + ")").orElse(" (no leader)")));
    }
}
