package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import java.util.Optional;

/**
 * Rule 4: a former primary never comes back as a primary on its own. Once another member holds the leader key, a
 * node marked for rejoin is rewound from it, or re-cloned when the rewind failed (if allowed); it is never started
 * or promoted on its old, possibly diverged, timeline.
 */
final class Recovery {
    private Recovery() {
    }

    /**
     * Empty when no rejoin is pending, or when no other member leads (then nobody can have diverged from us, and the
     * normal flow starts us read-only and lets us race like anybody else).
     */
    static Optional<Decision> rejoin(ClusterView cluster, LocalView local, HaSettings cfg) {
        if (local.rejoin() == LocalView.RejoinState.NONE || cluster.leader().isEmpty()
                || cluster.isLeader(local.name())) {
            return Optional.empty();
        }
        Optional<MemberState> leader = cluster.leaderMember().filter(MemberState::isRunning);
        if (leader.isEmpty()) {
            return Optional.of(Decision.noop("former primary waits for leader " + cluster.leader().get().name()
                    + " to be running before it rejoins"));
        }
        MemberState from = leader.get();
        if (local.rejoin() == LocalView.RejoinState.NEEDS_REWIND && cfg.usePgRewind()) {
            return Optional.of(Decision.of(new Action.Rewind(from), "former primary rejoins " + from.name()));
        }
        String problem = local.rejoin() == LocalView.RejoinState.NEEDS_REWIND
                ? "use_pg_rewind is off" : "pg_rewind failed";
        if (cfg.recloneOnRewindFailure()) {
            return Optional.of(Decision.of(new Action.Reclone(from), "former primary: " + problem));
        }
        return Optional.of(Decision.noop("former primary cannot rejoin: " + problem
                + " and re-cloning is off; run pgha reinit " + local.name()));
    }
}
