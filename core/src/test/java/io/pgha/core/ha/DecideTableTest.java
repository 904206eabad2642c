package io.pgha.core.ha;

import static io.pgha.core.ha.ClusterViews.primary;
import static io.pgha.core.ha.ClusterViews.replica;
import static io.pgha.core.ha.ClusterViews.stopped;
import static io.pgha.core.ha.DecisionRow.row;

import io.pgha.core.ha.Action.AcquireLeader;
import io.pgha.core.ha.Action.Bootstrap;
import io.pgha.core.ha.Action.ClaimInitialize;
import io.pgha.core.ha.Action.CloneFrom;
import io.pgha.core.ha.Action.Demote;
import io.pgha.core.ha.Action.Follow;
import io.pgha.core.ha.Action.Noop;
import io.pgha.core.ha.Action.Promote;
import io.pgha.core.ha.Action.Reclone;
import io.pgha.core.ha.Action.ReleaseLeader;
import io.pgha.core.ha.Action.RenewLeader;
import io.pgha.core.ha.Action.Rewind;
import io.pgha.core.ha.Action.StartAsPrimary;
import io.pgha.core.ha.Action.StartAsReplica;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HA decision as named tables of (cluster snapshot, local view) -> action. */
class DecideTableTest {
    private static final Map<String, String> NOFAILOVER = Map.of("nofailover", "true");
    private static final HaSettings STRICT = HaSettings.defaults().withSync(
            new HaSettings.SyncPolicy(HaSettings.SynchronousMode.STRICT, 1));

    static Stream<DecisionRow> bootstrapJoinStart() {
        return Stream.of(
                row("fresh node, no initialize key: claims it",
                        ClusterViews.uninitialized(), LocalViews.emptyDataDir("a"), ClaimInitialize.class),
                row("nofailover node never bootstraps",
                        ClusterViews.uninitialized(), LocalViews.emptyDataDir("a").tags(NOFAILOVER), Noop.class),
                row("claim won, data dir empty: initdb",
                        ClusterViews.uninitialized().claimedBy("a"), LocalViews.emptyDataDir("a"), Bootstrap.class),
                row("claim held while another holds the leader key: no initdb",
                        ClusterViews.ledBy("b").claimedBy("a"), LocalViews.emptyDataDir("a"), Noop.class),
                row("claim lost: waits for the claimant",
                        ClusterViews.uninitialized().claimedBy("b"), LocalViews.emptyDataDir("a"), Noop.class),
                row("bootstrapped primary without key takes it",
                        ClusterViews.uninitialized().claimedBy("a"), LocalViews.runningPrimary("a", 0),
                        AcquireLeader.class),
                row("joiner clones from the running leader",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)), LocalViews.emptyDataDir("c"),
                        CloneFrom.class).target("a"),
                row("joiner prefers a clonefrom replica",
                        ClusterViews.ledBy("a").withMember(primary("a", 100))
                                .withMember(replica("b", 90, Map.of("clonefrom", "true"))),
                        LocalViews.emptyDataDir("c"), CloneFrom.class).target("b"),
                row("joiner without a leader waits",
                        ClusterViews.leaderless().withMember(replica("b", 90)), LocalViews.emptyDataDir("c"),
                        Noop.class),
                row("joiner waits while the leader is not running",
                        ClusterViews.ledBy("a").withMember(stopped("a")), LocalViews.emptyDataDir("c"), Noop.class),
                row("data dir of another cluster: refuse",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)),
                        LocalViews.stoppedNode("c").systemId("999"), Noop.class),
                row("stopped node starts as replica of the leader",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)), LocalViews.stoppedNode("b"),
                        StartAsReplica.class).target("a"),
                row("stopped node without a leader starts read-only without upstream",
                        ClusterViews.leaderless(), LocalViews.stoppedNode("b"), StartAsReplica.class).target(""),
                row("stopped holder of a fresh key starts as primary",
                        ClusterViews.ledBy("a"), LocalViews.stoppedNode("a").renewedSecondsAgo(3),
                        StartAsPrimary.class),
                row("stopped holder of a stale key starts as replica",
                        ClusterViews.ledBy("a"), LocalViews.stoppedNode("a").renewedSecondsAgo(40),
                        StartAsReplica.class),
                row("long job running: reports progress",
                        ClusterViews.ledBy("a").withMember(primary("a", 1)), LocalViews.emptyDataDir("b").job("clone"),
                        Noop.class));
    }

    static Stream<DecisionRow> leaderDuties() {
        return Stream.of(
                row("primary with a fresh key renews",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)),
                        LocalViews.runningPrimary("a", 100).renewedSecondsAgo(10), RenewLeader.class),
                row("primary past ttl - safety_margin demotes at once (rule 1)",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)),
                        LocalViews.runningPrimary("a", 100).renewedSecondsAgo(25), Demote.class).target("IMMEDIATE"),
                row("primary busy with a job still demotes when its lease is stale",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)),
                        LocalViews.runningPrimary("a", 100).renewedSecondsAgo(26).job("checkpoint"), Demote.class),
                row("primary that never renewed demotes",
                        ClusterViews.ledBy("a"), LocalViews.runningPrimary("a", 100), Demote.class),
                row("the key's holder keeps renewing it while its promotion runs",
                        ClusterViews.ledBy("b").withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100).renewedSecondsAgo(1).job("promote"), RenewLeader.class),
                row("a node busy with a job renews no key it does not hold",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)),
                        LocalViews.runningReplica("b", 90).job("pg_rewind from a"), Noop.class),
                row("primary while another holds the key demotes",
                        ClusterViews.ledBy("b").withMember(primary("b", 100)),
                        LocalViews.runningPrimary("a", 100).renewedSecondsAgo(1), Demote.class).target("IMMEDIATE"),
                row("primary without key, most advanced: re-takes it",
                        ClusterViews.leaderless().withMember(replica("b", 90)), LocalViews.runningPrimary("a", 100),
                        AcquireLeader.class),
                row("switchover away from a healthy primary: graceful demote",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)).withMember(replica("b", 100))
                                .withFailover("a", "b"),
                        LocalViews.runningPrimary("a", 100).renewedSecondsAgo(1), Demote.class).target("GRACEFUL"),
                row("switchover to an absent candidate is refused and cleared",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)).withFailover("a", "zz"),
                        LocalViews.runningPrimary("a", 100).renewedSecondsAgo(1), Action.ClearFailover.class));
    }

    static Stream<DecisionRow> replicaDuties() {
        return Stream.of(
                row("replica follows the leader",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)), LocalViews.runningReplica("b", 90),
                        Follow.class).target("a"),
                row("replica following the old primary re-points",
                        ClusterViews.ledBy("c").withMember(primary("c", 100)),
                        LocalViews.runningReplica("b", 90).following("a"), Follow.class).target("c"),
                row("replica already following the leader does nothing",
                        ClusterViews.ledBy("a").withMember(primary("a", 100)),
                        LocalViews.runningReplica("b", 90).following("a"), Noop.class),
                row("leaderless: most advanced healthy replica races",
                        ClusterViews.leaderless().withLeaderLsn(100).withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("b", 100), AcquireLeader.class),
                row("leaderless: less advanced replica waits",
                        ClusterViews.leaderless().withLeaderLsn(100).withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("c", 90), Noop.class),
                row("leaderless: tie broken by failover_priority",
                        ClusterViews.leaderless().withMember(replica("b", 100))
                                .withMember(replica("c", 100, Map.of("failover_priority", "5"))),
                        LocalViews.runningReplica("b", 100), Noop.class),
                row("leaderless: tie at equal priority broken by name",
                        ClusterViews.leaderless().withMember(replica("b", 100)).withMember(replica("c", 100)),
                        LocalViews.runningReplica("b", 100), AcquireLeader.class),
                row("leaderless: better member tagged nofailover does not count",
                        ClusterViews.leaderless().withMember(replica("b", 100, NOFAILOVER))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("c", 90), AcquireLeader.class),
                row("leaderless: a more advanced member whose postgres crashed does not count",
                        ClusterViews.leaderless().withMember(ClusterViews.member("b", Role.REPLICA,
                                PostgresState.CRASHED, 200, Map.of()))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("c", 90), AcquireLeader.class),
                row("leaderless: lag before failover_priority (the higher-priority replica behind waits)",
                        ClusterViews.leaderless().withMember(replica("b", 100))
                                .withMember(replica("c", 90, Map.of("failover_priority", "5"))),
                        LocalViews.runningReplica("c", 90).tags(Map.of("failover_priority", "5")), Noop.class),
                row("leaderless: nofailover replica never races",
                        ClusterViews.leaderless().withMember(replica("b", 100, NOFAILOVER)),
                        LocalViews.runningReplica("b", 100).tags(NOFAILOVER), Noop.class),
                row("leaderless: replica beyond maximum_lag_on_failover does not race",
                        ClusterViews.leaderless().withLeaderLsn(5_000_000).withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100), Noop.class),
                row("leaderless sync mode: the async standby does not race even when ahead",
                        ClusterViews.leaderless().withSync("a", "c").withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("b", 100), Noop.class)
                        .with(HaSettings.defaults().withSynchronousMode(true)),
                row("leaderless sync mode: the sync standby races",
                        ClusterViews.leaderless().withSync("a", "c").withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("c", 90), AcquireLeader.class)
                        .with(HaSettings.defaults().withSynchronousMode(true)),
                row("leaderless with failover to c: only c races",
                        ClusterViews.leaderless().withFailover(null, "c").withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("b", 100), Noop.class),
                row("leaderless with failover to c: c races although behind",
                        ClusterViews.leaderless().withFailover(null, "c").withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("c", 90), AcquireLeader.class),
                row("replica holding a fresh key promotes",
                        ClusterViews.ledBy("b").withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100).renewedSecondsAgo(1), Promote.class),
                row("replica holding a stale key releases it",
                        ClusterViews.ledBy("b").withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100).renewedSecondsAgo(60), ReleaseLeader.class),
                row("replica holding the key but now past the lag limit releases it",
                        ClusterViews.ledBy("b").withLeaderLsn(9_000_000).withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100).renewedSecondsAgo(1), ReleaseLeader.class),
                row("leader key whose member record expired: wait",
                        ClusterViews.ledBy("a"), LocalViews.runningReplica("b", 100), Noop.class));
    }

    static Stream<DecisionRow> synchronousMode() {
        return Stream.of(
                row("leaderless strict mode: the async standby does not race even when ahead",
                        ClusterViews.leaderless().withSync("a", "c").withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("b", 100), Noop.class).with(STRICT),
                row("leaderless strict mode: the sync standby races",
                        ClusterViews.leaderless().withSync("a", "c").withMember(replica("b", 100))
                                .withMember(replica("c", 90)),
                        LocalViews.runningReplica("c", 90), AcquireLeader.class).with(STRICT),
                row("leaderless sync mode with an empty key (fell back to async): no standby races",
                        ClusterViews.leaderless().withSync("a").withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100), Noop.class).with(STRICT),
                row("leaderless sync mode: the primary that wrote the key may take it back",
                        ClusterViews.leaderless().withSync("a").withMember(replica("b", 100)),
                        LocalViews.runningPrimary("a", 100), AcquireLeader.class).with(STRICT),
                row("sync standby holding the key promotes",
                        ClusterViews.ledBy("c").withSync("a", "c").withMember(replica("c", 100)),
                        LocalViews.runningReplica("c", 100).renewedSecondsAgo(1), Promote.class).with(STRICT),
                row("async standby holding the key in sync mode releases it",
                        ClusterViews.ledBy("b").withSync("a", "c").withMember(replica("b", 100)),
                        LocalViews.runningReplica("b", 100).renewedSecondsAgo(1), ReleaseLeader.class).with(STRICT));
    }

    static Stream<DecisionRow> recovery() {
        return Stream.of(
                row("former primary finds a new leader: rewind",
                        ClusterViews.ledBy("b").withMember(primary("b", 200)),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.NEEDS_REWIND), Rewind.class)
                        .target("b"),
                row("former primary still running finds a new leader: rewind",
                        ClusterViews.ledBy("b").withMember(primary("b", 200)),
                        LocalViews.runningReplica("a", 150).rejoin(LocalView.RejoinState.NEEDS_REWIND), Rewind.class),
                row("rewind failed: re-clone when enabled",
                        ClusterViews.ledBy("b").withMember(primary("b", 200)),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.REWIND_FAILED), Reclone.class)
                        .target("b"),
                row("rewind failed and re-clone disabled: stays down",
                        ClusterViews.ledBy("b").withMember(primary("b", 200)),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.REWIND_FAILED), Noop.class)
                        .with(HaSettings.defaults().withRewind(true, false)),
                row("pg_rewind off: re-clone instead",
                        ClusterViews.ledBy("b").withMember(primary("b", 200)),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.NEEDS_REWIND), Reclone.class)
                        .with(HaSettings.defaults().withRewind(false, true)),
                row("former primary waits until the new leader runs",
                        ClusterViews.ledBy("b").withMember(stopped("b")),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.NEEDS_REWIND), Noop.class),
                row("former primary, nobody leads: starts read-only, never as primary",
                        ClusterViews.leaderless(),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.NEEDS_REWIND), StartAsReplica.class),
                row("switched-out leader does not race again",
                        ClusterViews.leaderless().withFailover("a", null).withMember(replica("a", 100))
                                .withMember(replica("b", 90)),
                        LocalViews.runningReplica("a", 100), Noop.class),
                row("switchover without a candidate: the best other replica races",
                        ClusterViews.leaderless().withFailover("a", null).withMember(replica("a", 100))
                                .withMember(replica("b", 90)),
                        LocalViews.runningReplica("b", 90), AcquireLeader.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bootstrapJoinStart")
    void bootstrapJoinAndStart(DecisionRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaderDuties")
    void leaderDuties(DecisionRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replicaDuties")
    void replicaDuties(DecisionRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synchronousMode")
    void synchronousModePromotesOnlyASynchronousStandby(DecisionRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recovery")
    void recoveryOfAFormerPrimary(DecisionRow row) {
        row.check();
    }
}
