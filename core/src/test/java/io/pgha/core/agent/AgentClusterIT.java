package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.core.cli.ExitCodes;
import io.pgha.core.cli.Main;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
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
    private static final List<String> ADDRESSES = List.of("127.0.0.31", "127.0.0.32", "127.0.0.33");
    private static final Duration FORM = Duration.ofMinutes(4);
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, NodeAgent> agents = new LinkedHashMap<>();
    private final Map<String, PghaConfig> configs = new LinkedHashMap<>();
    private Path base;
    private Path tokenFile;

    @BeforeAll
    void writeConfigs() throws Exception {
        base = Files.createTempDirectory(Path.of("/var/tmp"), "pgha-agent-it-");
        // The Postgres OS user must be able to reach each node's directory below it.
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        tokenFile = base.resolve("cluster.token");
        Files.writeString(tokenFile, UUID.randomUUID() + "\n");
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String name = "node" + (i + 1);
            configs.put(name, config(name, ADDRESSES.get(i), tokenFile, i == 0 ? null : ADDRESSES.get(0)));
        }
    }

    @AfterAll
    void stopEverything() throws IOException {
        for (NodeAgent agent : agents.values()) {
            agent.stopPostgresOnClose();
            agent.close();
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void threeEmptyNodesFormOnePrimaryAndTwoStreamingReplicas() throws Exception {
        long start = System.nanoTime();
        agents.put("node1", NodeAgent.start(configs.get("node1")));
        agents.put("node2", NodeAgent.start(configs.get("node2")));
        agents.put("node3", NodeAgent.start(configs.get("node3")));
        await("one primary and two streaming replicas", FORM, () -> streamingReplicas("node1") == 2);
        System.out.printf("bootstrap time (three empty nodes -> one primary + two streaming): %.1f s%n",
                (System.nanoTime() - start) / 1e9);
        // The agent's own status is refreshed once per cycle, so it may trail what Postgres already shows.
        await("node1 reports itself primary with the leader key", Duration.ofSeconds(30),
                () -> agents.get("node1").status().map(NodeStatus::isPrimaryWithKey).orElse(false));
    }

    @Test
    @Order(2)
    void aRowWrittenOnThePrimaryIsReadOnBothReplicas() throws Exception {
        try (Connection c = connect("node1"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS agent_it (v text)");
            s.execute("INSERT INTO agent_it VALUES ('hello from node1')");
        }
        for (String replica : List.of("node2", "node3")) {
            await("the row on " + replica, Duration.ofSeconds(30),
                    () -> "hello from node1".equals(query(replica, "SELECT v FROM agent_it")));
        }
    }

    @Test
    @Order(3)
    void restHealthChecksFollowTheRoles() throws Exception {
        await("every member's status published", Duration.ofSeconds(30),
                () -> agents.values().stream().allMatch(a -> a.status().isPresent()
                        && a.status().get().cluster().members().size() == 3));
        // Each agent answers from its last cycle's probe of its own Postgres: a replica that has just finished its
        // clone reports itself within a loop_wait or two.
        awaitCode("node1", "/primary", 200);
        assertThat(get("node1", "/replica")).isEqualTo(503);
        for (String replica : List.of("node2", "node3")) {
            awaitCode(replica, "/replica", 200);
            assertThat(get(replica, "/primary")).isEqualTo(503);
        }
        // /cluster shows the member records, which each node republishes once per loop_wait.
        await("/cluster shows node1 leading and both replicas streaming", Duration.ofSeconds(30), () -> {
            String body;
            try {
                body = http.send(request("node2", "/cluster").build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException | InterruptedException e) {
                return false;
            }
            return body.contains("\"leader\":\"node1\"") && body.split("\"state\":\"streaming\"", -1).length == 3;
        });
    }

    @Test
    @Order(4)
    void aJoinWithAWrongTokenIsRefusedAndChangesNothing() throws Exception {
        List<String> before = members();
        Path wrong = base.resolve("wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        PghaConfig intruder = config("node4", "127.0.0.34", wrong, ADDRESSES.get(0));
        assertThatThrownBy(() -> NodeAgent.start(intruder)).isInstanceOf(AgentStartException.class)
                .hasMessage("join refused by 127.0.0.31: wrong cluster token");
        HttpResponse<String> anonymous = http.send(request("node1", "/cluster/members")
                .POST(HttpRequest.BodyPublishers.ofString("name=x&peer=127.0.0.35:1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(members()).isEqualTo(before).containsExactly("node1", "node2", "node3");
        assertThat(Files.exists(intruder.node().dataDir().resolve("store"))).isFalse();
    }

    @Test
    @Order(5)
    void restartingAnAgentAdoptsItsRunningPostgres() throws Exception {
        Path pidFile = configs.get("node3").postgres().dataDir().resolve("postmaster.pid");
        String pid = Files.readAllLines(pidFile).get(0);
        agents.remove("node3").close();
        assertThat(Files.readAllLines(pidFile).get(0)).isEqualTo(pid);
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive)).contains(true);
        agents.put("node3", NodeAgent.start(configs.get("node3")));
        await("node3 back as a replica", Duration.ofSeconds(60), () -> agents.get("node3").status()
                .map(NodeStatus::isRunningReplica).orElse(false));
        assertThat(Files.readAllLines(pidFile).get(0)).isEqualTo(pid);
        assertThat(streamingReplicas("node1")).isEqualTo(2);
    }

    @Test
    @Order(6)
    void aSecondAgentOnTheSameDataDirectoryIsRefused() {
        assertThatThrownBy(() -> NodeAgent.start(configs.get("node2"))).isInstanceOf(AgentStartException.class)
                .hasMessageContaining("another pgha agent (pid " + ProcessHandle.current().pid() + ")");
    }

    @Test
    @Order(7)
    void aBadConfigurationIsRefusedBeforeAnythingStarts() throws Exception {
        Path bad = base.resolve("bad.yml");
        Path dataDir = base.resolve("never");
        Files.writeString(bad, "node:\n  data_dir: " + dataDir + "\nha:\n  loop_wiat: 1s\n");
        assertThat(Main.execute("run", "--config", bad.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(Files.exists(dataDir)).isFalse();
    }

    private PghaConfig config(String name, String address, Path token, String join) throws Exception {
        // The REST port must be the same on every node (a joiner asks node1 on its own rest.port).
        NodeYaml.Ports ports = LoopbackPorts.forNode(address, restPort);
        Path file = base.resolve(name + ".yml");
        Files.writeString(file, new NodeYaml("agent-it", name, address, base.resolve(name), token, ports).render());
        PghaConfig c = ConfigLoader.load(file, Environment.system());
        return join == null ? c : new PghaConfig(c.cluster().withJoin(new io.pgha.core.config.HostPort(join, 0)),
                c.node(), c.store(), c.postgres(), c.ha(), c.rest(), c.proxy(), c.backup(), c.hardening(), c.tls());
    }

    private final int restPort = restPortOnAll();

    private static int restPortOnAll() {
        try {
            return LoopbackPorts.freeOnAll(List.of("127.0.0.31", "127.0.0.32", "127.0.0.33", "127.0.0.34"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> members() {
        return agents.get("node1").storeMembers();
    }

    private void awaitCode(String node, String path, int code) {
        await(node + " answers " + code + " on " + path, Duration.ofSeconds(30), () -> {
            try {
                return get(node, path) == code;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private int get(String node, String path) throws Exception {
        return http.send(request(node, path).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(String node, String path) {
        PghaConfig c = configs.get(node);
        return HttpRequest.newBuilder(URI.create("http://" + c.rest().listen() + ":" + c.rest().port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private int streamingReplicas(String primary) {
        String n = query(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
        return n == null ? 0 : Integer.parseInt(n);
    }

    private String query(String node, String sql) {
        try (Connection c = connect(node); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private Connection connect(String node) throws SQLException {
        PghaConfig c = configs.get(node);
        var pg = new AgentSettings(c).postgresSettings();
        return DriverManager.getConnection("jdbc:postgresql://" + pg.listen() + ":" + pg.port() + "/postgres",
                pg.superuser(), pg.superuserPassword().value());
    }

    /** Polls {@code condition} every 200 ms until it holds, failing after {@code timeout}. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
