package io.pgha.core.ha;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Safety properties of the decision over random, self-consistent snapshots: every node of the cluster decides on
 * the same {@link io.pgha.core.dcs.ClusterView} with its own {@link LocalView}, and the set of decisions must be safe.
 */
class DecideProperties {

    @Provide
    Arbitrary<RandomWorld> worlds() {
        return Arbitraries.randomValue(RandomWorld::random);
    }

    @Property(tries = 3000)
    void atMostOneNodeInitializesTheCluster(@ForAll("worlds") RandomWorld world) {
        assertThat(decisions(world).stream().filter(d -> d.decision.action() instanceof Action.Bootstrap))
                .as("%s", world).hasSizeLessThanOrEqualTo(1);
    }

    @Property(tries = 3000)
    void noTwoNodesDecideToBePrimary(@ForAll("worlds") RandomWorld world) {
        List<NodeDecision> primaries = decisions(world).stream().filter(d -> becomesOrStaysPrimary(d.decision.action()))
                .toList();
        assertThat(primaries).as("%s", world).hasSizeLessThanOrEqualTo(1);
    }

    @Property(tries = 3000)
    void neverPromotesPastTheLagLimit(@ForAll("worlds") RandomWorld world) {
        for (NodeDecision d : decisions(world)) {
            if (promotes(world, d)) {
                long lag = Candidates.lag(world.cluster(), d.local.lsn());
                assertThat(lag).as("%s decided %s in %s", d.local.name(), d.decision.describe(), world)
                        .isLessThanOrEqualTo(world.cfg().maximumLagOnFailover());
            }
        }
    }

    @Property(tries = 3000)
    void inSynchronousModeOnlyASynchronousStandbyIsPromoted(@ForAll("worlds") RandomWorld world) {
        if (!world.cfg().synchronousMode()) {
            return;
        }
        for (NodeDecision d : decisions(world)) {
            if (promotes(world, d)) {
                String name = d.local.name();
                assertThat(world.cluster().sync().isSynchronous(name) || world.cluster().sync().leader().equals(name))
                        .as("%s decided %s in %s", name, d.decision.describe(), world).isTrue();
            }
        }
    }

    @Property(tries = 3000)
    void aLeaderRenewsOnlyWithinTtlMinusSafetyMargin(@ForAll("worlds") RandomWorld world) {
        for (NodeDecision d : decisions(world)) {
            if (d.decision.action() instanceof Action.RenewLeader || d.decision.action() instanceof Action.Promote) {
                assertThat(HaDecider.leaseFresh(d.local, world.cfg(), LocalViews.NOW)).as("%s", world).isTrue();
            }
        }
    }

    @Property(tries = 3000)
    void aFormerPrimaryNeverComesBackAsPrimaryWhileAnotherLeads(@ForAll("worlds") RandomWorld world) {
        for (NodeDecision d : decisions(world)) {
            boolean anotherLeads = world.cluster().leader().isPresent() && !world.cluster().isLeader(d.local.name());
            if (d.local.rejoin() != LocalView.RejoinState.NONE && anotherLeads) {
                assertThat(d.decision.action()).as("%s", world)
                        .isNotInstanceOf(Action.StartAsReplica.class).isNotInstanceOf(Action.Follow.class);
                assertThat(becomesOrStaysPrimary(d.decision.action())).as("%s", world).isFalse();
            }
        }
    }

    @Provide
    Arbitrary<RandomWorld> leaderlessWorlds() {
        return Arbitraries.randomValue(r -> RandomWorld.random(r).leaderlessAndQuiet());
    }

    /**
     * Liveness, so that the safety properties cannot hold by never acting: in an initialized cluster without a
     * leader, a failover request or a busy node, if any node is a healthy candidate then exactly one races.
     */
    @Property(tries = 2000)
    void aLeaderlessClusterWithACandidateGetsExactlyOneRacer(@ForAll("leaderlessWorlds") RandomWorld world) {
        boolean anyCandidate = world.nodes().stream().anyMatch(l -> l.dataDirPresent()
                && (l.isRunningPrimary() || l.isRunningReplica())
                && Candidates.whyNotCandidate(world.cluster(), l.asMember(), world.cfg()).isEmpty());
        Statistics.label("has a candidate").collect(anyCandidate);
        Statistics.label("has a candidate").coverage(k -> k.check(true).percentage(p -> p >= 10));
        long racers = decisions(world).stream().filter(d -> d.decision.action() instanceof Action.AcquireLeader)
                .count();
        assertThat(racers).as("%s", world).isEqualTo(anyCandidate ? 1 : 0);
    }

    @Property(tries = 500)
    void theDecisionIsAFunctionOfItsInputs(@ForAll("worlds") RandomWorld world) {
        Map<String, String> first = new java.util.HashMap<>();
        decisions(world).forEach(d -> first.put(d.local.name(), d.decision.toString()));
        decisions(world).forEach(d -> assertThat(d.decision.toString()).isEqualTo(first.get(d.local.name())));
    }

    private static boolean becomesOrStaysPrimary(Action a) {
        return a instanceof Action.Bootstrap || a instanceof Action.AcquireLeader || a instanceof Action.Promote
                || a instanceof Action.RenewLeader || a instanceof Action.StartAsPrimary;
    }

    /** Promote, or the acquisition that leads to it, in a cluster past bootstrap (bootstrap has no lag to check). */
    private static boolean promotes(RandomWorld world, NodeDecision d) {
        Action a = d.decision.action();
        return a instanceof Action.Promote || a instanceof Action.AcquireLeader && world.cluster().isInitialized();
    }

    private static List<NodeDecision> decisions(RandomWorld world) {
        List<NodeDecision> out = new ArrayList<>();
        for (LocalView local : world.nodes()) {
            out.add(new NodeDecision(local, HaDecider.decide(world.cluster(), local, world.cfg(), LocalViews.NOW)));
        }
        return out;
    }

    private record NodeDecision(LocalView local, Decision decision) {
        @Override
        public String toString() {
            return local.name() + ": " + decision.describe();
        }
    }

}
