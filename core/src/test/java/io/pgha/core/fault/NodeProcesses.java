package io.pgha.core.fault;

import io.pgha.core.agent.NodeAgent;
import io.pgha.core.agent.NodeYaml;
import io.pgha.core.testing.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Three (or more) pgha agents as separate JVMs started from this JVM's class path ({@code Main run --config}), each on
 * its own address, the first forming the cluster and the others joining it. A node's command line may be prefixed
 * (e.g. {@code ip netns exec NS}), so the same harness runs nodes in network namespaces. Faults are real signals to
 * real processes. {@link #close()} stops every agent and Postgres it started and deletes the directory.
 */
final class NodeProcesses implements AutoCloseable {
    private static final String PG_BIN = "/usr/lib/postgresql/15/bin";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** Forms the cluster: node1 first, then the others join; waits for one primary and every replica streaming. */
    void form(Duration timeout) throws IOException {
        start("node1");
        await("node1 primary", timeout, () -> restCode("node1", "/primary") == 200);
        for (String name : names().subList(1, names().size())) {
            // One join at a time, as the store changes its configuration one member at a time.
            start(name);
            await(name + " joined the store", timeout, () -> logContains(name, name + ": store member "));
        }
        String all = String.join(",", names().subList(1, names().size()));
        await("every replica streaming from node1", timeout, () -> all.equals(streaming("node1")));
        for (String name : names().subList(1, names().size())) {
            await(name + " answers /replica", timeout, () -> restCode(name, "/replica") == 200);
        }
    }

    /** One node: its address, ports and files. */
    record Node(String name, String address, NodeYaml.Ports ports, Path dir, Path config, Path log) {
        Path dataDir() {
            return dir.resolve("pgdata");
        }

        String restUrl(String path) {
            return "http://" + address + ":" + ports.rest() + path;
        }
    }

    private final Path base;
    private final String superuserPassword = UUID.randomUUID().toString();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Process> agents = new LinkedHashMap<>();
    private final Function<String, List<String>> prefix;

    private NodeProcesses(Path base, Function<String, List<String>> prefix) {
        this.base = base;
        this.prefix = prefix;
    }

    /**
     * Writes the configuration of one node per address under a fresh directory below /var/tmp.
     *
     * @param tag       part of the directory name, unique to the caller
     * @param addresses one address per node; node1 forms the cluster
     * @param freePorts whether to pick free ports per address (loopback) or use the documented defaults (namespaces)
     * @param prefix    the command prefix per node name (empty for none)
     */
    static NodeProcesses prepare(String tag, List<String> addresses, boolean freePorts,
                                 Function<String, List<String>> prefix) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "pgha-" + tag + "-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        NodeProcesses cluster = new NodeProcesses(base, prefix);
        Path token = base.resolve("cluster.token");
        Files.writeString(token, UUID.randomUUID() + "\n");
        Path password = base.resolve("superuser.pw");
        Files.writeString(password, cluster.superuserPassword + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        // The REST port must be equal on every node: a joiner asks node1 on its own rest.port.
        int rest = freePorts ? LoopbackPorts.freeOnAll(addresses) : NodeYaml.Ports.DEFAULTS.rest();
        for (int i = 0; i < addresses.size(); i++) {
            String name = "node" + (i + 1);
            String a = addresses.get(i);
            NodeYaml.Ports ports = freePorts ? LoopbackPorts.forNode(a, rest) : NodeYaml.Ports.DEFAULTS;
            Path dir = base.resolve(name);
            String yaml = new NodeYaml(tag, name, a, dir, token, ports).render().replace("postgres:\n",
                    "postgres:\n  superuser:\n    password_file: " + password + "\n");
            Path config = base.resolve(name + ".yml");
            Files.writeString(config, yaml);
            cluster.nodes.put(name, new Node(name, a, ports, dir, config, base.resolve(name + ".log")));
        }
        return cluster;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    String superuserPassword() {
        return superuserPassword;
    }

    /** Starts the agent of {@code name} (joining node1 unless it is node1), logging to its log file. */
    void start(String name) throws IOException {
        Node n = nodes.get(name);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(prefix.apply(name));
        argv.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "io.pgha.core.cli.Main", "run", "--config", n.config().toString()));
        if (!name.equals("node1")) {
            argv.addAll(List.of("--join", nodes.get("node1").address()));
        }
        agents.put(name, new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(n.log().toFile())).start());
    }

    /** The agent JVM's pid (the process started, or the java child of a prefix such as ip netns exec). */
    long agentPid(String name) {
        ProcessHandle h = agents.get(name).toHandle();
        // ip netns exec execs the command, so the pid stays the same; a shell prefix would fork.
        return h.descendants().filter(d -> d.info().command().orElse("").endsWith("java"))
                .findFirst().orElse(h).pid();
    }

    /** The postmaster's pid from postmaster.pid, if Postgres of {@code name} runs. */
    Optional<Long> postmasterPid(String name) {
        try {
            long pid = Long.parseLong(Files.readAllLines(nodes.get(name).dataDir().resolve("postmaster.pid")).get(0)
                    .strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL of the agent JVM only; its Postgres keeps running. */
    void killAgent(String name) throws IOException, InterruptedException {
        signal("-KILL", List.of(Long.toString(agentPid(name))));
        agents.get(name).waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Sends {@code signal} (-STOP, -CONT) to the whole node in one kill(1) call: Postgres's process group (postmaster
     * and every backend, as a frozen machine would be) first, then the agent.
     */
    void signalNode(String name, String signal, long postmaster) throws IOException, InterruptedException {
        signal(signal, List.of("-" + postmaster, Long.toString(agentPid(name))));
    }

    static void signal(String signal, List<String> targets) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("kill", signal, "--"));
        argv.addAll(targets);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + new String(p.getInputStream().readAllBytes()));
        }
    }

    String jdbcUrl(String name) {
        Node n = nodes.get(name);
        return "jdbc:postgresql://" + n.address() + ":" + n.ports().postgres() + "/postgres";
    }

    Connection connect(String name) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", superuserPassword);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(name), p);
    }

    /** The first column of the first row, or null when Postgres of {@code name} cannot answer. */
    String query(String name, String sql) {
        try (Connection c = connect(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** The agent's REST answer code on {@code path}, or -1 when it does not answer. */
    int restCode(String name, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(nodes.get(name).restUrl(path)))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The names of the members streaming from {@code primary}, per its pg_stat_replication. */
    String streaming(String primary) {
        return query(primary, "SELECT string_agg(application_name, ',' ORDER BY application_name)"
                + " FROM pg_stat_replication WHERE state = 'streaming'");
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

    private boolean logContains(String name, String text) {
        try {
            return log(name).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    String log(String name) throws IOException {
        Path log = nodes.get(name).log();
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Stops every agent (asking it to stop its Postgres), stops any Postgres left, removes the directory. */
    @Override
    public void close() throws IOException {
        for (Map.Entry<String, Process> e : agents.entrySet()) {
            Path dir = nodes.get(e.getKey()).dir();
            if (Files.isDirectory(dir)) {
                Files.writeString(dir.resolve(NodeAgent.STOP_POSTGRES_MARKER), "test\n");
            }
            e.getValue().toHandle().descendants().forEach(ProcessHandle::destroy);
            e.getValue().destroy();
        }
        for (Process p : agents.values()) {
            try {
                if (!p.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)) {
                    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        for (String name : nodes.keySet()) {
            Optional<Long> pm = postmasterPid(name);
            if (pm.isPresent()) {
                try {
                    signal("-CONT", List.of("-" + pm.get()));
                    new ProcessBuilder("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                            PG_BIN + "/pg_ctl", "stop", "-D", nodes.get(name).dataDir().toString(), "-m", "immediate")
                            .redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    signal9(pm.get());
                }
            }
        }
        // The agents' logs outlive the data: target/fault-logs/<directory name>/nodeN.log.
        Path keep = Path.of("target", "fault-logs", base.getFileName().toString());
        Files.createDirectories(keep);
        for (Node n : nodes.values()) {
            if (Files.exists(n.log())) {
                Files.copy(n.log(), keep.resolve(n.log().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Boolean.getBoolean("pgha.keep")) {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void signal9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
