package io.pgha.core.agent;

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
import java.nio.file.attribute.PosixFilePermissions;
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

/**
 * Three in-process agents on given loopback addresses with free ports, real Postgres 15 and the real store, for the
 * integration tests of one cluster. {@link #close()} stops the agents and their Postgres and removes the files.
 */
final class ItCluster implements AutoCloseable {
    final Map<String, NodeAgent> agents = new LinkedHashMap<>();
    final Map<String, PghaConfig> configs = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path base;

    /** Writes the configurations; {@code extraHa} is appended to the {@code ha} section of the named nodes. */
    ItCluster(String prefix, List<String> addresses, Map<String, String> extraHa) throws Exception {
        base = Files.createTempDirectory(Path.of("/var/tmp"), prefix);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path token = base.resolve("cluster.token");
        Files.writeString(token, UUID.randomUUID() + "\n");
        int rest = LoopbackPorts.freeOnAll(addresses);
        for (int i = 0; i < addresses.size(); i++) {
            String name = "node" + (i + 1);
            String a = addresses.get(i);
            NodeYaml.Ports ports = LoopbackPorts.forNode(a, rest);
            String yaml = new NodeYaml("planned-it", name, a, base.resolve(name), token, ports).render()
                    .replace("  safety_margin: 2s\n", "  safety_margin: 2s\n" + extraHa.getOrDefault(name, ""));
            Path file = base.resolve(name + ".yml");
            Files.writeString(file, yaml);
            PghaConfig c = ConfigLoader.load(file, Environment.system());
            configs.put(name, i == 0 ? c : new PghaConfig(c.cluster().withJoin(new HostPort(addresses.get(0), 0)),
                    c.node(), c.store(), c.postgres(), c.ha(), c.rest(), c.proxy(), c.backup(), c.hardening(),
                    c.tls()));
        }
    }

    Path base() {
        return base;
    }

    /** Starts all three and waits for one primary and two streaming replicas. */
    void form() {
        for (String name : configs.keySet()) {
            agents.put(name, NodeAgent.start(configs.get(name)));
        }
        await("one primary and two streaming replicas", Duration.ofMinutes(4), () -> streamingReplicas("node1") == 2);
        await("node1 reports itself primary with the leader key", Duration.ofSeconds(60),
                () -> agents.get("node1").status().map(NodeStatus::isPrimaryWithKey).orElse(false));
    }

    int streamingReplicas(String primary) {
        String n = query(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
        return n == null ? 0 : Integer.parseInt(n);
    }

    String query(String node, String sql) {
        try (Connection c = connect(node); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    Connection connect(String node) throws SQLException {
        var pg = new AgentSettings(configs.get(node)).postgresSettings();
        return connect(pg.listen(), pg.port());
    }

    Connection connect(String host, int port) throws SQLException {
        var pg = new AgentSettings(configs.get("node1")).postgresSettings();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", pg.superuser());
        p.setProperty("password", pg.superuserPassword().value());
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", p);
    }

    /** GET/HEAD/OPTIONS {@code path} on {@code node}'s REST API: the status code, -1 when unreachable. */
    int code(String node, String method, String path) {
        try {
            return http.send(request(node, path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    HttpResponse<String> send(String node, String method, String path, String body) throws Exception {
        return http.send(request(node, path).timeout(Duration.ofSeconds(90))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String node, String path) {
        PghaConfig c = configs.get(node);
        return HttpRequest.newBuilder(URI.create("http://" + c.rest().listen() + ":" + c.rest().port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    /** Polls {@code condition} every 100 ms until it holds, failing after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    @Override
    public void close() throws IOException {
        for (NodeAgent agent : agents.values()) {
            agent.stopPostgresOnClose();
            agent.close();
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
