package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.dcs.SyncState;
import io.pgha.core.ha.Decision;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxyStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus text of the last cycle. */
class NodeMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("pgha_[a-z_]+(\\{[^}]*\\})? -?[0-9]+");

    private static NodeStatus replica(boolean pendingRestart) {
        MemberState leader = new MemberState("n1", Role.PRIMARY, PostgresState.RUNNING, "", "h1", 5442, 2,
                new Lsn(5000), Map.of(), false, "");
        MemberState me = new MemberState("n2", Role.REPLICA, PostgresState.RUNNING, "", "h2", 5442, 2,
                new Lsn(3000), Map.of(), pendingRestart, "");
        ClusterView view = new ClusterView("orders", 9, Optional.empty(), Optional.of(new LeaderKey("n1", 3, 7)),
                List.of(leader, me), Optional.empty(), Optional.empty(), SyncState.empty(), List.of(),
                Optional.of(new Lsn(5000)));
        LocalView local = new LocalView("n2", true, PostgresState.RUNNING, Role.REPLICA, 2, new Lsn(3000),
                Optional.of("7"), Optional.empty(), Optional.of("n1"), LocalView.RejoinState.NONE, Optional.empty(),
                Map.of());
        return new NodeStatus(view, local, Decision.noop("following n1"), Instant.ofEpochSecond(1_700_000_000));
    }

    @Test
    void aReplicaExposesRoleLagTimelineAndPendingRestart() {
        String text = NodeMetrics.render(Optional.of(replica(true)), Optional.empty());
        String l = "{scope=\"orders\",name=\"n2\"}";
        assertThat(text).contains("pgha_replica" + l + " 1\n", "pgha_primary" + l + " 0\n",
                "pgha_leader_key_held" + l + " 0\n", "pgha_postgres_timeline" + l + " 2\n",
                "pgha_replication_lag_bytes" + l + " 2000\n", "pgha_xlog_received_location" + l + " 3000\n",
                "pgha_pending_restart" + l + " 1\n", "pgha_cluster_members" + l + " 2\n",
                "pgha_postgres_state{scope=\"orders\",name=\"n2\",state=\"running\"} 1\n",
                "pgha_postgres_state{scope=\"orders\",name=\"n2\",state=\"stopped\"} 0\n",
                "pgha_ha_last_cycle_timestamp_seconds" + l + " 1700000000\n");
        assertThat(NodeMetrics.render(Optional.of(replica(false)), Optional.empty()))
                .contains("pgha_pending_restart" + l + " 0\n");
    }

    @Test
    void everySampleHasHelpAndTypeAndEveryLineParses() {
        String text = NodeMetrics.render(Optional.of(replica(false)), Optional.empty());
        for (String line : text.split("\n")) {
            assertThat(line.startsWith("# HELP pgha_") || line.startsWith("# TYPE pgha_")
                    || SAMPLE.matcher(line).matches()).as(line).isTrue();
        }
        text.lines().filter(x -> !x.startsWith("#")).map(x -> x.replaceAll("[{ ].*", "")).distinct().forEach(
                name -> assertThat(text).contains("# HELP " + name + " ", "# TYPE " + name + " "));
    }

    @Test
    void theProxysCountersFollowWithTheNodeLabels() {
        ProxyStats p = new ProxyStats(Instant.EPOCH, 3, "", "open", Instant.EPOCH, List.of(
                new ProxyStats.ListenerStats(Listener.RW, 5432, 2, 40, 1, 0)), List.of(), List.of(), 0, 0, 0);
        String text = NodeMetrics.render(Optional.of(replica(false)), Optional.of(p));
        assertThat(text).contains("pgha_proxy_routing_generation{scope=\"orders\",name=\"n2\"} 3\n",
                "pgha_proxy_rw_fail_closed{scope=\"orders\",name=\"n2\"} 0\n",
                "# TYPE pgha_proxy_sessions_total counter\n",
                "pgha_proxy_listener_sessions{scope=\"orders\",name=\"n2\",listener=\"" + Listener.RW.label()
                        + "\"} 2\n",
                "pgha_proxy_sessions_total{scope=\"orders\",name=\"n2\",listener=\"" + Listener.RW.label()
                        + "\"} 40\n",
                "pgha_proxy_connections_refused_total{scope=\"orders\",name=\"n2\",listener=\""
                        + Listener.RW.label() + "\"} 1\n");
    }

    @Test
    void beforeTheFirstCycleOnlyTheCycleGaugeIsThere() {
        assertThat(NodeMetrics.render(Optional.empty(), Optional.empty())).isEqualTo("# HELP pgha_ha_cycle_completed"
                + " An HA cycle has completed since the agent started\n# TYPE pgha_ha_cycle_completed gauge\n"
                + "pgha_ha_cycle_completed 0\n");
        assertThat(NodeMetrics.escape("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
    }
}
