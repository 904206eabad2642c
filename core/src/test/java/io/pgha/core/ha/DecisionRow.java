package io.pgha.core.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import java.util.Optional;

/**
 * One named row of a decision table: a scenario, the action type it must produce and, where the action names a
 * member (clone source, leader to follow, rewind source) or a stop mode, that key field.
 */
record DecisionRow(String name, ClusterView cluster, LocalView local, HaSettings cfg,
                   Class<? extends Action> expected, Optional<String> target) {

    static DecisionRow row(String name, ClusterViews cluster, LocalViews local, Class<? extends Action> expected) {
        return new DecisionRow(name, cluster.build(), local.build(), HaSettings.defaults(), expected, Optional.empty());
    }

    DecisionRow target(String member) {
        return new DecisionRow(name, cluster, local, cfg, expected, Optional.of(member));
    }

    DecisionRow with(HaSettings settings) {
        return new DecisionRow(name, cluster, local, settings, expected, target);
    }

    void check() {
        Decision decision = HaDecider.decide(cluster, local, cfg, LocalViews.NOW);
        assertThat(decision.action()).as("%s -> %s", name, decision.describe()).isInstanceOf(expected);
        assertThat(decision.describe()).isNotBlank().doesNotContain("\n");
        target.ifPresent(t -> assertThat(targetOf(decision.action())).as(name).isEqualTo(t));
    }

    static String targetOf(Action action) {
        if (action instanceof Action.CloneFrom a) {
            return a.source().name();
        }
        if (action instanceof Action.Follow a) {
            return a.leader().name();
        }
        if (action instanceof Action.Rewind a) {
            return a.leader().name();
        }
        if (action instanceof Action.Reclone a) {
            return a.leader().name();
        }
        if (action instanceof Action.StartAsReplica a) {
            return a.leader().map(MemberState::name).orElse("");
        }
        if (action instanceof Action.Demote a) {
            return a.mode().name();
        }
        return "";
    }

    @Override
    public String toString() {
        return name;
    }
}
