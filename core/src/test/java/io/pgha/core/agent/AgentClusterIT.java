package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.core.cli.ExitCodes;
import io.pgha.core.cli.Main;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.testing.AgentCluster;
import io.pgha.core.testing.Await;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three agents in this JVM, each on its own loopback address with free ports, real Postgres 15 and the real store:
 * they form one primary and two streaming replicas from empty data directories.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentClusterIT {
    /** node4 (127.0.0.34) is never started as a member: it is the intruder with a wrong token. */
    private static final List<String> ADDRESSES = List.of("127.0.0.31", "127.0.0.32", "127.0.0.33", "127.0.0.34");
    private static final Duration FORM = Duration.ofMinutes(4);
    private AgentCluster cluster;

    @BeforeAll
    void writeConfigs() throws Exception {
        cluster = AgentCluster.prepare("agent-it", ADDRESSES, null);
    }

    @AfterAll
    void stopEverything() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void threeEmptyNodesFormOnePrimaryAndTwoStreamingReplicas() throws Exception {
        long start = System.nanoTime();
        for (String name : List.of("node1", "node2", "node3")) {
            cluster.startInProcess(name);
        }
        await("one primary and two streaming replicas", FORM, () -> streamingReplicas("node1") == 2);
        System.out.printf("bootstrap time (three empty nodes -> one primary + two streaming): %.1f s%n",
                (System.nanoTime() - start) / 1e9);
        // The agent's own status is refreshed once per cycle, so it may trail what Postgres already shows.
        await("node1 reports itself primary with the leader key", Duration.ofSeconds(30),
                () -> cluster.agent("node1").status().map(NodeStatus::isPrimaryWithKey).orElse(false));
    }

    @Test
    @Order(2)
    void aRowWrittenOnThePrimaryIsReadOnBothReplicas() throws Exception {
        try (var c = cluster.connect("node1"); var s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS agent_it (v text)");
            s.execute("INSERT INTO agent_it VALUES ('hello from node1')");
        }
        for (String replica : List.of("node2", "node3")) {
            await("the row on " + replica, Duration.ofSeconds(30),
                    () -> cluster.query(replica, "SELECT v FROM agent_it").orElse("").equals("hello from node1"));
        }
    }

    @Test
    @Order(3)
    void restHealthChecksFollowTheRoles() throws Exception {
        await("every member's status published", Duration.ofSeconds(30),
                () -> List.of("node1", "node2", "node3").stream().map(cluster::agent).allMatch(a -> a.status()
                        .isPresent() && a.status().get().cluster().members().size() == 3));
        // Each agent answers from its last cycle's probe of its own Postgres: a replica that has just finished its
        // clone reports itself within a loop_wait or two.
        awaitCode("node1", "/primary", 200);
        assertThat(cluster.get("node1", "/replica")).isEqualTo(503);
        for (String replica : List.of("node2", "node3")) {
            awaitCode(replica, "/replica", 200);
            assertThat(cluster.get(replica, "/primary")).isEqualTo(503);
        }
        // /cluster shows the member records, which each node republishes once per loop_wait.
        await("/cluster shows node1 leading and both replicas streaming", Duration.ofSeconds(30), () -> {
            String body = cluster.body("node2", "/cluster").orElse("");
            return body.contains("\"leader\":\"node1\"") && body.split("\"state\":\"streaming\"", -1).length == 3;
        });
    }

    @Test
    @Order(4)
    void aJoinWithAWrongTokenIsRefusedAndChangesNothing() throws Exception {
        List<String> before = members();
        Path wrong = cluster.base().resolve("wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        Path node4 = cluster.node("node4").config();
        Files.writeString(node4, Files.readString(node4).replaceFirst("token_file: .*", "token_file: " + wrong));
        PghaConfig intruder = cluster.config("node4");
        assertThatThrownBy(() -> NodeAgent.start(intruder)).isInstanceOf(AgentStartException.class)
                .hasMessage("join refused by 127.0.0.31: wrong cluster token");
        HttpResponse<String> anonymous = cluster.send("node1", "POST", "/cluster/members", "name=x&peer=127.0.0.35:1");
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(members()).isEqualTo(before).containsExactly("node1", "node2", "node3");
        assertThat(Files.exists(intruder.node().dataDir().resolve("store"))).isFalse();
    }

    @Test
    @Order(5)
    void restartingAnAgentAdoptsItsRunningPostgres() throws Exception {
        Path pidFile = cluster.node("node3").pgData().resolve("postmaster.pid");
        String pid = Files.readAllLines(pidFile).get(0);
        cluster.agent("node3").close();
        assertThat(Files.readAllLines(pidFile).get(0)).isEqualTo(pid);
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).contains(true);
        cluster.startInProcess("node3");
        await("node3 back as a replica", Duration.ofSeconds(60), () -> cluster.agent("node3").status()
                .map(NodeStatus::isRunningReplica).orElse(false));
        assertThat(Files.readAllLines(pidFile).get(0)).isEqualTo(pid);
        assertThat(streamingReplicas("node1")).isEqualTo(2);
    }

    @Test
    @Order(6)
    void aSecondAgentOnTheSameDataDirectoryIsRefused() {
        assertThatThrownBy(() -> NodeAgent.start(cluster.config("node2"))).isInstanceOf(AgentStartException.class)
                .hasMessageContaining("another pgha agent (pid " + ProcessHandle.current().pid() + ")");
    }

    @Test
    @Order(7)
    void aBadConfigurationIsRefusedBeforeAnythingStarts() throws Exception {
        Path bad = cluster.base().resolve("bad.yml");
        Path dataDir = cluster.base().resolve("never");
        Files.writeString(bad, "node:\n  data_dir: " + dataDir + "\nha:\n  loop_wiat: 1s\n");
        assertThat(Main.execute("run", "--config", bad.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(Files.exists(dataDir)).isFalse();
    }

    private List<String> members() {
        return cluster.agent("node1").storeMembers();
    }

    private void awaitCode(String node, String path, int code) {
        await(node + " answers " + code + " on " + path, Duration.ofSeconds(30), () -> cluster.get(node, path) == code);
    }

    private int streamingReplicas(String primary) {
        return cluster.query(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
                .map(Integer::parseInt).orElse(0);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(what, timeout, condition);
    }
}
