package io.pgha.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.agent.AgentSettings;
import io.pgha.core.agent.NodeAgent;
import io.pgha.core.agent.NodeYaml;
import io.pgha.core.agent.RestClient;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
import io.pgha.core.config.HostPort;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.testing.LoopbackPorts;
import java.io.IOException;
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
import java.util.Optional;
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
 * {@code pgha show-config} / {@code edit-config} against three real agents (real store, real Postgres 15): a reload
 * parameter reaches every node, a restart parameter shows as pending restart, a bad value is refused and writes
 * nothing, a stale edit loses the compare-and-set; and {@code /metrics} is scraped from a running node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EditConfigIT {
    private static final List<String> ADDRESSES = List.of("127.0.0.61", "127.0.0.62", "127.0.0.63");
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private final Map<String, NodeAgent> agents = new LinkedHashMap<>();
    private final Map<String, PghaConfig> configs = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Path base;
    private String host;

    @BeforeAll
    void formCluster() throws Exception {
        base = Files.createTempDirectory(Path.of("/var/tmp"), "pgha-dynconfig-it-");
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path token = base.resolve("cluster.token");
        Files.writeString(token, UUID.randomUUID() + "\n");
        int rest = LoopbackPorts.freeOnAll(ADDRESSES);
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String name = "node" + (i + 1);
            String a = ADDRESSES.get(i);
            NodeYaml.Ports ports = LoopbackPorts.forNode(a, rest);
            Path file = base.resolve(name + ".yml");
            Files.writeString(file, new NodeYaml("dyn-it", name, a, base.resolve(name), token, ports).render());
            PghaConfig c = ConfigLoader.load(file, Environment.system());
            configs.put(name, i == 0 ? c : new PghaConfig(c.cluster().withJoin(new HostPort(ADDRESSES.get(0), 0)),
                    c.node(), c.store(), c.postgres(), c.ha(), c.rest(), c.proxy(), c.backup(), c.hardening(),
                    c.tls()));
        }
        host = ADDRESSES.get(1) + ":" + rest;
        for (String name : configs.keySet()) {
            agents.put(name, NodeAgent.start(configs.get(name)));
        }
        RestClient client = new RestClient(ADDRESSES.get(0), rest);
        await("one primary and two streaming replicas", Duration.ofMinutes(4), () -> {
            try {
                return RestClient.formed(client.cluster(), 2);
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        await("the cluster-wide configuration in the store", DEADLINE, () -> cli("show-config").exitCode() == 0);
    }

    @AfterAll
    void stop() throws IOException {
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
        for (String node : configs.keySet()) {
            await("SHOW work_mem = 8MB on " + node, DEADLINE, () -> "8MB".equals(query(node, "SHOW work_mem")));
        }
        assertThat(cli("list", "--format", "json").out()).doesNotContain("pending_restart");
    }

    @Test
    @Order(3)
    void aRestartParameterIsPendingRestartInTheMemberRecordsAndTheList() throws Exception {
        CliRun edit = cli("edit-config", "--set", "postgres.parameters.max_connections=60");
        assertThat(edit.exitCode()).as(edit.err()).isEqualTo(0);
        await("every member record has pending_restart", DEADLINE, () -> {
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
        for (String node : configs.keySet()) {
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

    private String get(String node, String path) throws Exception {
        PghaConfig c = configs.get(node);
        return http.send(HttpRequest.newBuilder(URI.create("http://" + c.rest().listen() + ":" + c.rest().port()
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String query(String node, String sql) {
        var pg = new AgentSettings(configs.get(node)).postgresSettings();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg.listen() + ":" + pg.port()
                + "/postgres", pg.superuser(), pg.superuserPassword().value());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

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
