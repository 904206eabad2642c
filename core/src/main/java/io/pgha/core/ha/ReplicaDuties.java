package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Role;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/** Joining (clone), starting an existing data directory, and the running replica's duties. */
final class ReplicaDuties {
    private ReplicaDuties() {
    }

    /**
     * An empty data directory in an initialized cluster: clone. A running replica tagged {@code clonefrom} is
     * preferred (it spares the primary), the most advanced first; otherwise the leader.
     */
    static Decision join(ClusterView cluster, LocalView local) {
        Optional<MemberState> preferred = cluster.members().stream()
                .filter(m -> !m.name().equals(local.name()))
                .filter(m -> m.cloneFrom() && m.isRunning() && m.role() == Role.REPLICA)
                .min(Comparator.comparing(MemberState::lsn).reversed().thenComparing(MemberState::name));
        if (preferred.isPresent()) {
            return Decision.of(new Action.CloneFrom(preferred.get()), "empty data directory; clonefrom member");
        }
        if (cluster.leader().isEmpty()) {
            return Decision.noop("empty data directory and no leader to clone from; waiting");
        }
        Optional<MemberState> leader = cluster.leaderMember().filter(MemberState::isRunning);
        return leader.map(l -> Decision.of(new Action.CloneFrom(l), "empty data directory; cloning from the leader"))
                .orElseGet(() -> Decision.noop("empty data directory; leader " + cluster.leader().get().name()
                        + " is not running yet"));
    }

    /** Postgres is down: start it as a replica, unless we hold a fresh leader key (then it was our primary). */
    static Decision start(ClusterView cluster, LocalView local, HaSettings cfg, Instant now) {
        if (cluster.isLeader(local.name()) && HaDecider.leaseFresh(local, cfg, now)) {
            return Decision.of(new Action.StartAsPrimary(), "postgres is down and we hold the leader key");
        }
        Optional<MemberState> leader = cluster.leaderMember().filter(l -> !l.name().equals(local.name()));
        return Decision.of(new Action.StartAsReplica(leader), "postgres is down");
    }

    static Decision asReplica(ClusterView cluster, LocalView local, HaSettings cfg, Instant now) {
        if (cluster.leader().isEmpty()) {
            return LeaderRace.race(cluster, local, cfg);
        }
        if (cluster.isLeader(local.name())) {
            return promoteOrRelease(cluster, local, cfg, now);
        }
        Optional<MemberState> leader = cluster.leaderMember();
        if (leader.isEmpty()) {
            return Decision.noop("leader " + cluster.leader().get().name() + " has no member record yet; waiting");
        }
        if (!local.following().equals(Optional.of(leader.get().name()))) {
            return Decision.of(new Action.Follow(leader.get()),
                    "following " + local.following().orElse("nobody") + " instead of the leader");
        }
        return Decision.noop("following leader " + leader.get().name());
    }

    /**
     * We took the key last cycle as a replica. Promote only while the lease is fresh and we are still promotable
     * (rule 3); the ranking is not re-run, so that a member catching up meanwhile cannot make us flap.
     */
    private static Decision promoteOrRelease(ClusterView cluster, LocalView local, HaSettings cfg, Instant now) {
        if (!HaDecider.leaseFresh(local, cfg, now)) {
            return Decision.of(new Action.ReleaseLeader("lease too old to promote on"), "rule 1");
        }
        Optional<String> no = Candidates.whyNotPromotable(cluster, local.asMember(), cfg);
        return no.map(reason -> Decision.of(new Action.ReleaseLeader(reason), "holding the key but not promotable"))
                .orElseGet(() -> Decision.of(new Action.Promote(), "holding the leader key as a replica"));
    }
}
