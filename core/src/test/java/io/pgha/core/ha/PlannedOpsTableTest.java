package io.pgha.core.ha;

import static io.pgha.core.ha.ClusterViews.primary;
import static io.pgha.core.ha.ClusterViews.replica;
import static io.pgha.core.ha.ClusterViews.stopped;
import static io.pgha.core.ha.DecisionRow.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.FailoverRequest;
import io.pgha.core.ha.Action.AcquireLeader;
import io.pgha.core.ha.Action.ClearFailover;
import io.pgha.core.ha.Action.Demote;
import io.pgha.core.ha.Action.Noop;
import io.pgha.core.ha.Action.Promote;
import io.pgha.core.ha.Action.ReleaseLeader;
import io.pgha.core.ha.Action.RenewLeader;
import io.pgha.core.ha.Action.StartAsPrimary;
import io.pgha.core.ha.Action.StartAsReplica;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The planned operations as named decision rows: switchover, forced failover, refusals, maintenance mode. */
class PlannedOpsTableTest {
    private static final long LAG_OK = 100;

    private static ClusterViews healthy() {
        return ClusterViews.ledBy("a").withMember(primary("a", LAG_OK)).withMember(replica("b", LAG_OK))
                .withMember(replica("c", LAG_OK, Map.of("nofailover", "true"))).withLeaderLsn(LAG_OK);
    }

    private static LocalViews leaderA() {
        return LocalViews.runningPrimary("a", LAG_OK).renewedSecondsAgo(1);
    }

    private static FailoverRequest scheduled(String from, String to, long secondsFromNow) {
        return new FailoverRequest(Optional.of(from), Optional.ofNullable(to),
                Optional.of(LocalViews.NOW.plusSeconds(secondsFromNow)), false, 7);
    }

    static Stream<DecisionRow> switchover() {
        return Stream.of(
                row("leader, switchover to an eligible candidate: checkpoint and graceful demote",
                        healthy().withFailover("a", "b"), leaderA(), Demote.class).target("GRACEFUL"),
                row("leader, switchover without a candidate: graceful demote towards the best",
                        healthy().withFailover("a", null), leaderA(), Demote.class).target("GRACEFUL"),
                row("leader, scheduled switchover not yet due: keeps leading",
                        healthy().withRequest(scheduled("a", "b", 60)), leaderA(), RenewLeader.class),
                row("leader, scheduled switchover due: graceful demote",
                        healthy().withRequest(scheduled("a", "b", -1)), leaderA(), Demote.class).target("GRACEFUL"),
                row("old leader, postgres stopped cleanly: releases the key to the candidate",
                        healthy().withFailover("a", "b"), LocalViews.stoppedNode("a").renewedSecondsAgo(1),
                        ReleaseLeader.class),
                row("old leader after the handover: starts as a replica, no rewind",
                        ClusterViews.ledBy("b").withMember(primary("b", LAG_OK)).withMember(stopped("a"))
                                .withFailover("a", "b"), LocalViews.stoppedNode("a"), StartAsReplica.class)
                        .target("b"),
                row("candidate, key free: takes it",
                        ClusterViews.leaderless().withMember(stopped("a")).withMember(replica("b", LAG_OK))
                                .withLeaderLsn(LAG_OK).withFailover("a", "b"),
                        LocalViews.runningReplica("b", LAG_OK), AcquireLeader.class),
                row("other replica, key free during a switchover to b: does not race",
                        ClusterViews.leaderless().withMember(stopped("a")).withMember(replica("b", LAG_OK))
                                .withMember(replica("d", LAG_OK + 10)).withLeaderLsn(LAG_OK).withFailover("a", "b"),
                        LocalViews.runningReplica("d", LAG_OK + 10), Noop.class),
                row("candidate holding the key: promotes",
                        ClusterViews.ledBy("b").withMember(replica("b", LAG_OK)).withLeaderLsn(LAG_OK)
                                .withFailover("a", "b"),
                        LocalViews.runningReplica("b", LAG_OK).renewedSecondsAgo(1), Promote.class),
                row("new leader running as primary: clears the fulfilled request",
                        ClusterViews.ledBy("b").withMember(primary("b", LAG_OK)).withFailover("a", "b"),
                        LocalViews.runningPrimary("b", LAG_OK).renewedSecondsAgo(1), ClearFailover.class),
                row("other replica: follows the new leader",
                        ClusterViews.ledBy("b").withMember(primary("b", LAG_OK)).withFailover("a", "b"),
                        LocalViews.runningReplica("c", LAG_OK).following("a"), Action.Follow.class).target("b"));
    }

    static Stream<DecisionRow> refusals() {
        return Stream.of(
                row("switchover to a nofailover member: refused, request cleared",
                        healthy().withFailover("a", "c"), leaderA(), ClearFailover.class),
                row("switchover to a lagging member: refused, request cleared",
                        healthy().withMember(replica("d", 0)).withLeaderLsn(10L << 20).withFailover("a", "d"),
                        LocalViews.runningPrimary("a", 10L << 20).renewedSecondsAgo(1), ClearFailover.class),
                row("switchover to a stopped member: refused, request cleared",
                        healthy().withMember(stopped("d")).withFailover("a", "d"), leaderA(), ClearFailover.class),
                row("switchover with no eligible member at all: refused",
                        ClusterViews.ledBy("a").withMember(primary("a", LAG_OK))
                                .withMember(replica("c", LAG_OK, Map.of("nofailover", "true"))).withFailover("a", null),
                        leaderA(), ClearFailover.class),
                row("unforced failover to a lagging replica: it does not race",
                        ClusterViews.leaderless().withMember(replica("b", 0)).withLeaderLsn(10L << 20)
                                .withFailover(null, "b"), LocalViews.runningReplica("b", 0), Noop.class),
                row("forced failover to a lagging replica: takes the key",
                        ClusterViews.leaderless().withMember(replica("b", 0)).withLeaderLsn(10L << 20)
                                .withRequest(new FailoverRequest(Optional.empty(), Optional.of("b"), Optional.empty(),
                                        true, 3)), LocalViews.runningReplica("b", 0), AcquireLeader.class),
                row("forced failover, key taken: promotes past the lag limit",
                        ClusterViews.ledBy("b").withMember(replica("b", 0)).withLeaderLsn(10L << 20)
                                .withRequest(new FailoverRequest(Optional.empty(), Optional.of("b"), Optional.empty(),
                                        true, 3)), LocalViews.runningReplica("b", 0).renewedSecondsAgo(1),
                        Promote.class));
    }

    static Stream<DecisionRow> paused() {
        return Stream.of(
                row("paused leader: keeps the key",
                        healthy().paused(), leaderA(), RenewLeader.class),
                row("paused leader whose postgres died: keeps the key and does not start it",
                        healthy().paused(), LocalViews.stoppedNode("a").renewedSecondsAgo(1), RenewLeader.class),
                row("resumed leader whose postgres died: starts it as primary",
                        healthy(), LocalViews.stoppedNode("a").renewedSecondsAgo(1), StartAsPrimary.class),
                row("paused, leader key free: the best replica does not race",
                        ClusterViews.leaderless().paused().withMember(replica("b", LAG_OK)).withLeaderLsn(LAG_OK),
                        LocalViews.runningReplica("b", LAG_OK), Noop.class),
                row("paused, stopped replica: not started",
                        healthy().paused(), LocalViews.stoppedNode("b"), Noop.class),
                row("paused, former primary marked for rewind: not rewound",
                        ClusterViews.ledBy("b").paused().withMember(primary("b", LAG_OK)),
                        LocalViews.stoppedNode("a").rejoin(LocalView.RejoinState.NEEDS_REWIND), Noop.class),
                row("paused, a primary while another holds the key: not demoted",
                        ClusterViews.ledBy("b").paused().withMember(primary("b", LAG_OK)),
                        LocalViews.runningPrimary("a", LAG_OK), Noop.class),
                row("paused, switchover to b: the leader still hands over",
                        healthy().paused().withFailover("a", "b"), leaderA(), Demote.class).target("GRACEFUL"),
                row("paused, switchover to b: the candidate still takes the key",
                        ClusterViews.leaderless().paused().withMember(replica("b", LAG_OK)).withLeaderLsn(LAG_OK)
                                .withFailover("a", "b"), LocalViews.runningReplica("b", LAG_OK), AcquireLeader.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("switchover")
    void switchover(DecisionRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusals(DecisionRow row) {
        row.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paused")
    void maintenanceMode(DecisionRow row) {
        row.check();
    }

    @Test
    void aRefusalSaysWhy() {
        Decision d = HaDecider.decide(healthy().withFailover("a", "c").build(), leaderA().build(),
                HaSettings.defaults(), LocalViews.NOW);
        assertThat(d.describe()).contains("switchover to c refused: tagged nofailover");
    }

    @Test
    void theLeaderGivesTheRunningPrimaryTimeToStopBeforeReleasing() {
        // While postgres still runs, the switched-out leader never releases: writes must stop first.
        Decision d = HaDecider.decide(healthy().withFailover("a", "b").build(), leaderA().build(),
                HaSettings.defaults().withMaximumLag(1 << 20), LocalViews.NOW.plus(Duration.ofMillis(1)));
        assertThat(d.action()).isNotInstanceOf(ReleaseLeader.class);
    }
}
