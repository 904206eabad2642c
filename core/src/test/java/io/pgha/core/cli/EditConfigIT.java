package io.pgha.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.agent.RestClient;
import io.pgha.core.config.Environment;
import io.pgha.core.testing.AgentCluster;
import io.pgha.core.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code pgha show-config} / {@code edit-config} against three real agents (real store, real Postgres 15): a reload
 * parameter reaches every node, a restart parameter shows as pending restart, a bad value is refused and writes
 * nothing, a stale edit loses the compare-and-set; and {@code /metrics} is scraped from a running node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EditConfigIT {
    private static final List<String> ADDRESSES = List.of("127.0.0.61", "127.0.0.62", "127.0.0.63");
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private AgentCluster cluster;
    private String host;

    @BeforeAll
    void formCluster() throws Exception {
        cluster = AgentCluster.prepare("dyn-it", ADDRESSES, null);
        host = cluster.restHost("node2");
        for (String name : cluster.names()) {
            cluster.startInProcess(name);
        }
        Await.until("one primary and two streaming replicas", Duration.ofMinutes(4), () -> {
            try {
                return RestClient.formed(client().cluster(), 2);
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        Await.until("the cluster-wide configuration in the store", DEADLINE, () -> cli("show-config").exitCode() == 0);
    }

    @AfterAll
    void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void showConfigPrintsTheSeededDocument() {
        CliRun shown = cli("show-config");
        assertThat(shown.out()).contains("postgres:", "parameters:", "shared_buffers: 32MB", "ttl: 10s",
                "loop_wait: 1s", "schedule:");
    }

    @Test
    @Order(2)
    void aReloadParameterReachesEveryNode() {
        CliRun edit = cli("edit-config", "--set", "postgresql.parameters.work_mem=8MB");
        assertThat(edit.exitCode()).as(edit.err()).isEqualTo(0);
        assertThat(edit.out()).contains("+postgres.parameters.work_mem: 8MB", "written (revision");
        for (String node : cluster.names()) {
            Await.until("SHOW work_mem = 8MB on " + node, DEADLINE, () -> "8MB".equals(query(node, "SHOW work_mem")));
        }
        assertThat(cli("list", "--format", "json").out()).doesNotContain("pending_restart");
    }

    @Test
    @Order(3)
    void aRestartParameterIsPendingRestartInTheMemberRecordsAndTheList() throws Exception {
        CliRun edit = cli("edit-config", "--set", "postgres.parameters.max_connections=60");
        assertThat(edit.exitCode()).as(edit.err()).isEqualTo(0);
        Await.until("every member record has pending_restart", DEADLINE, () -> {
            JsonNode cluster = cluster();
            int pending = 0;
            for (JsonNode m : cluster.path("members")) {
                pending += m.path("pending_restart").asBoolean() ? 1 : 0;
            }
            return pending == 3;
        });
        String table = cli("list").out();
        assertThat(table.lines().filter(l -> l.matches("\\| node[123] .*\\| \\* +\\|"))).hasSize(3);
        assertThat(query("node1", "SHOW max_connections")).isEqualTo("50");
        String metrics = get("node1", "/metrics");
        assertThat(metrics).contains("# TYPE pgha_pending_restart gauge",
                "pgha_pending_restart{scope=\"dyn-it\",name=\"node1\"} 1",
                "pgha_primary{scope=\"dyn-it\",name=\"node1\"} 1",
                "pgha_leader_key_held{scope=\"dyn-it\",name=\"node1\"} 1");
        assertThat(get("node2", "/metrics")).contains("pgha_replica{scope=\"dyn-it\",name=\"node2\"} 1",
                "pgha_replication_lag_bytes{scope=\"dyn-it\",name=\"node2\"} ");
    }

    @Test
    @Order(4)
    void anInvalidValueIsRefusedAndTheKeyIsUnchanged() throws Exception {
        RestClient.Answer before = client().getConfig();
        CliRun banana = cli("edit-config", "--set", "postgres.parameters.work_mem=banana");
        assertThat(banana.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(banana.err()).contains("pgha edit-config: postgres.parameters.work_mem: found 'banana', expected"
                + " an integer with an optional unit B, kB, MB, GB or TB", "nothing was written");
        CliRun ttl = cli("edit-config", "--set", "ha.ttl=1s");
        assertThat(ttl.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ttl.err()).contains("ha.ttl: found 1s, expected at least");
        RestClient.Answer after = client().getConfig();
        assertThat(after.body()).isEqualTo(before.body());
        assertThat(after.etag()).isEqualTo(before.etag());
        for (String node : cluster.names()) {
            assertThat(query(node, "SHOW work_mem")).isEqualTo("8MB");
        }
    }

    @Test
    @Order(5)
    void ofTwoEditsFromTheSameReadTheSecondFails() throws Exception {
        RestClient.Answer read = client().getConfig();
        String etag = read.etag().orElseThrow();
        RestClient.Answer first = client().patchConfig("{\"postgres\":{\"parameters\":{\"work_mem\":\"16MB\"}}}",
                etag, Optional.empty());
        assertThat(first.code()).isEqualTo(200);
        RestClient.Answer second = client().patchConfig("{\"postgres\":{\"parameters\":{\"work_mem\":\"4MB\"}}}",
                etag, Optional.empty());
        assertThat(second.code()).isEqualTo(409);
        assertThat(second.body()).contains("changed by someone else", "nothing was written");
        assertThat(client().getConfig().body()).contains("\"work_mem\":\"16MB\"");
    }

    private RestClient client() {
        String[] hp = host.split(":");
        return new RestClient(hp[0], Integer.parseInt(hp[1]));
    }

    private JsonNode cluster() {
        try {
            return client().cluster();
        } catch (IOException | InterruptedException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private CliRun cli(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--host";
        all[args.length + 1] = host;
        return CliRun.of(Environment.system(), all);
    }

    private String get(String node, String path) {
        return cluster.body(node, path).orElseThrow(() -> new AssertionError(node + " does not answer " + path));
    }

    private String query(String node, String sql) {
        return cluster.query(node, sql).orElse(null);
    }
}
