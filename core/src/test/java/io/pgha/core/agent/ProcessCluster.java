package io.pgha.core.agent;

import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Agents as separate JVM processes ({@code java -cp <this class path> io.pgha.core.cli.Main run|witness}), each on
 * its own loopback address, so a test can SIGKILL a node (agent and postmaster together) as a crash would. Every
 * node logs to {@code <name>.log} under a directory in /var/tmp, removed on {@link #close()} with every process.
 */
final class ProcessCluster implements AutoCloseable {
    private final Path base;
    private final Path token;
    private final String haYaml;
    private final String clusterName;
    private final int restPort;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, PghaConfig> configs = new LinkedHashMap<>();
    private final Map<String, Process> agents = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * @param prefix    names the directory under /var/tmp
     * @param nodes     node name to loopback address
     * @param haYaml    extra lines for the {@code ha:} section, each indented by two spaces
     */
    ProcessCluster(String prefix, Map<String, String> nodes, String haYaml) throws IOException {
        this.base = Files.createTempDirectory(Path.of("/var/tmp"), prefix);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.token = base.resolve("cluster.token");
        Files.writeString(token, UUID.randomUUID() + "\n");
        this.haYaml = haYaml;
        this.clusterName = prefix.replaceAll("[^a-z]", "");
        this.addresses.putAll(nodes);
        this.restPort = LoopbackPorts.freeOnAll(List.copyOf(nodes.values()));
        for (Map.Entry<String, String> n : nodes.entrySet()) {
            configs.put(n.getKey(), writeConfig(n.getKey(), n.getValue()));
        }
    }

    /**
     * Starts {@code name} as a data node; {@code joinVia} is the node whose address it joins through, if any. A
     * join returns once the store has admitted the node: two joins at once can leave the store without a quorum
     * (see the report of branch sync-witness), so a test joins one node at a time, as an operator would.
     */
    void start(String name, Optional<String> joinVia) throws IOException {
        launch(name, "run", joinVia);
    }

    /** Starts {@code name} as a witness joining through {@code joinVia}, and waits until the store admitted it. */
    void startWitness(String name, String joinVia) throws IOException {
        launch(name, "witness", Optional.of(joinVia));
    }

    private void awaitJoined(String name) {
        await(name + " admitted to the store", Duration.ofMinutes(3), () -> {
            try {
                return Files.readString(log(name)).contains(name + " is a member; members:");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void launch(String name, String command, Optional<String> joinVia) throws IOException {
        boolean freshStore = !Files.isDirectory(configs.get(name).node().dataDir().resolve("store"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "io.pgha.core.cli.Main", command, "--config",
                base.resolve(name + ".yml").toString()));
        joinVia.ifPresent(j -> argv.addAll(List.of("--join", addresses.get(j))));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve(name + ".log").toFile())).start();
        agents.put(name, p);
        if (joinVia.isPresent() && freshStore) {
            awaitJoined(name);
        }
    }

    /** SIGKILL of the agent and of the postmaster with all its children: the node dies as in a power cut. */
    void kill(String name) {
        Process agent = agents.remove(name);
        List<ProcessHandle> victims = new ArrayList<>();
        if (agent != null) {
            victims.add(agent.toHandle());
            agent.descendants().forEach(victims::add);
        }
        postmaster(name).ifPresent(pm -> {
            victims.add(pm);
            pm.descendants().forEach(victims::add);
        });
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : victims) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        }
    }

    Optional<ProcessHandle> postmaster(String name) {
        Path pid = configs.get(name).postgres().dataDir().resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(pid).get(0).strip();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** HTTP status of {@code GET path} on {@code name}'s REST port; 0 when it does not answer. */
    int status(String name, String path) {
        try {
            return http.send(request(name, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The body of {@code GET path}, or empty when the node does not answer 200. */
    Optional<String> body(String name, String path) {
        try {
            HttpResponse<String> r = http.send(request(name, path), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest request(String name, String path) {
        return HttpRequest.newBuilder(URI.create("http://" + addresses.get(name) + ":" + restPort + path))
                .timeout(Duration.ofSeconds(5)).build();
    }

    /** The node among {@code names} that answers 200 on /primary, if any. */
    Optional<String> primary(List<String> names) {
        return names.stream().filter(n -> status(n, "/primary") == 200).findFirst();
    }

    Connection connect(String name, Duration socketTimeout) throws SQLException {
        var pg = new AgentSettings(configs.get(name)).postgresSettings();
        Properties p = new Properties();
        p.setProperty("user", pg.superuser());
        p.setProperty("password", pg.superuserPassword().value());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", String.valueOf(socketTimeout.toSeconds()));
        return DriverManager.getConnection("jdbc:postgresql://" + pg.listen() + ":" + pg.port() + "/postgres", p);
    }

    /** The first column of the first row, or null when the query fails or returns nothing. */
    String query(String name, String sql) {
        try (Connection c = connect(name, Duration.ofSeconds(10)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    Path log(String name) {
        return base.resolve(name + ".log");
    }

    /** Stops every agent still running (and its Postgres), kills what is left, and removes the directory. */
    @Override
    public void close() throws IOException {
        for (Map.Entry<String, Process> a : agents.entrySet()) {
            Path data = configs.get(a.getKey()).node().dataDir();
            if (Files.isDirectory(data)) {
                Files.writeString(data.resolve(NodeAgent.STOP_POSTGRES_MARKER), "test\n");
            }
            a.getValue().destroy();
        }
        for (Process p : agents.values()) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String name : configs.keySet()) {
            postmaster(name).ifPresent(pm -> {
                pm.descendants().forEach(ProcessHandle::destroyForcibly);
                pm.destroyForcibly();
            });
        }
        if (System.getenv("PGHA_KEEP_IT_DIR") == null) {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private PghaConfig writeConfig(String name, String address) throws IOException {
        NodeYaml.Ports ports = LoopbackPorts.forNode(address, restPort);
        String yaml = new NodeYaml(clusterName, name, address, base.resolve(name), token, ports)
                .render().replace("ha:\n", "ha:\n" + haYaml);
        Path file = base.resolve(name + ".yml");
        Files.writeString(file, yaml);
        try {
            return ConfigLoader.load(file, Environment.system());
        } catch (io.pgha.core.config.ConfigException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Polls {@code condition} every 250 ms until it holds, failing after {@code timeout} with {@code what}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }
}
