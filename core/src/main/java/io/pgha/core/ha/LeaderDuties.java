package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import java.time.Instant;

/** What a running primary does: keep its lease, give way to a switchover, or stop taking writes. */
final class LeaderDuties {
    private LeaderDuties() {
    }

    static Decision asPrimary(ClusterView cluster, LocalView local, HaSettings cfg, Instant now) {
        if (cluster.leader().isEmpty()) {
            Decision race = LeaderRace.race(cluster, local, cfg);
            if (race.action() instanceof Action.AcquireLeader) {
                return race;
            }
            return Decision.of(new Action.Demote("primary without the leader key that may not take it: "
                    + race.why(), Action.StopMode.IMMEDIATE), "a primary must hold the leader key");
        }
        if (!cluster.isLeader(local.name())) {
            String holder = cluster.leader().get().name();
            return Decision.of(new Action.Demote(holder + " holds the leader key", Action.StopMode.IMMEDIATE),
                    "two primaries: the one without the key stops");
        }
        if (!HaDecider.leaseFresh(local, cfg, now)) {
            // Rule 1: past ttl - safety_margin another member may take the key any moment; stop writes now.
            String since = local.lastRenewSent().map(Instant::toString).orElse("never");
            return Decision.of(new Action.Demote("leader key not renewed since " + since, Action.StopMode.IMMEDIATE),
                    "lease older than ttl - safety_margin");
        }
        return Decision.of(new Action.RenewLeader(), "holding the leader key as primary");
    }
}
