package io.pgha.core.faults;

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
import java.util.stream.Stream;

/**
 * A cluster of real agent processes on one machine, for fault tests: each node is its own JVM ({@code Main run}
 * from this test's class path) on its own loopback address, with its own Postgres. A node can be SIGKILLed,
 * SIGSTOPped and SIGCONTed together with its postmaster (and every process below it), as when the host dies or
 * freezes. {@link #close()} stops everything it started and deletes the directory.
 */
public final class AgentProcesses implements AutoCloseable {
    private final Path base;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String password;

    /** One node: its address, ports, config file, and the running agent process if any. */
    public static final class Node {
        private final String name;
        private final String address;
        private final NodeYaml.Ports ports;
        private final Path config;
        private final Path dataDir;
        private Process agent;

        Node(String name, String address, NodeYaml.Ports ports, Path config, Path dataDir) {
            this.name = name;
            this.address = address;
            this.ports = ports;
            this.config = config;
            this.dataDir = dataDir;
        }

        public String name() {
            return name;
        }

        public String address() {
            return address;
        }

        public NodeYaml.Ports ports() {
            return ports;
        }

        public Path dataDir() {
            return dataDir;
        }

        /** The Postgres data directory (pgha keeps it in {@code <data_dir>/pgdata}). */
        public Path pgData() {
            return dataDir.resolve("pgdata");
        }
    }

    private AgentProcesses(Path base, String password) {
        this.base = base;
        this.password = password;
    }

    /**
     * Writes the token, a superuser password and one config per address under a fresh directory in /var/tmp (the
     * Postgres OS user must reach it). Nodes are named node1..nodeN; node1 founds the cluster, the others join it.
     *
     * @param ha the lines of the {@code ha:} section (two-space indented), "" for the product defaults, or null for
     *           the demo's timings (ttl 10s, loop_wait 1s: a loaded test machine stalls for seconds)
     */
    public static AgentProcesses prepare(String cluster, List<String> addresses, String ha) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), "pgha-" + cluster + "-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path token = base.resolve("cluster.token");
        Files.writeString(token, UUID.randomUUID() + "\n");
        Path pw = base.resolve("superuser.pw");
        String password = UUID.randomUUID().toString();
        Files.writeString(pw, password + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        AgentProcesses cl = new AgentProcesses(base, password);
        int rest = LoopbackPorts.freeOnAll(addresses);
        for (int i = 0; i < addresses.size(); i++) {
            String name = "node" + (i + 1);
            String a = addresses.get(i);
            NodeYaml.Ports ports = LoopbackPorts.forNode(a, rest);
            Path dataDir = base.resolve(name);
            String yaml = new NodeYaml(cluster, name, a, dataDir, token, ports).render()
                    .replace("postgres:\n", "postgres:\n  superuser:\n    password_file: " + pw + "\n");
            if (ha != null) {
                String block = ha.isEmpty() ? "" : "ha:\n" + ha + (ha.endsWith("\n") ? "" : "\n");
                yaml = yaml.substring(0, yaml.indexOf("ha:\n")) + block + yaml.substring(yaml.indexOf("rest:\n"));
            }
            Path file = base.resolve(name + ".yml");
            Files.writeString(file, yaml);
            cl.nodes.put(name, new Node(name, a, ports, file, dataDir));
        }
        return cl;
    }

    public List<String> names() {
        return List.copyOf(nodes.keySet());
    }

    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + "; nodes are " + nodes.keySet());
        }
        return n;
    }

    public Path base() {
        return base;
    }

    /** Starts the agent of {@code name} (a joiner with {@code --join node1}), logging to {@code <name>.log}. */
    public void start(String name) throws IOException {
        Node n = node(name);
        if (n.agent != null && n.agent.isAlive()) {
            throw new IllegalStateException(name + "'s agent is already running (pid " + n.agent.pid() + ")");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.pgha.core.cli.Main", "run", "--config", n.config.toString()));
        String first = nodes.values().iterator().next().address;
        if (!n.address.equals(first)) {
            // Ignored once the node's store exists: a restarted member rejoins from its own store.
            argv.addAll(List.of("--join", first));
        }
        n.agent = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve(name + ".log").toFile())).start();
    }

    /**
     * Starts every node for the first time: the founder, then each joiner once the founder lists the previous one
     * as a store member (joins are taken one at a time; concurrent joins were seen to refuse each other).
     */
    public void form(Duration timeout) throws IOException {
        List<String> all = names();
        start(all.get(0));
        for (String joiner : all.subList(1, all.size())) {
            start(joiner);
            Await.until(joiner + " listed as a store member by " + all.get(0), timeout,
                    () -> body(all.get(0), "/cluster").orElse(""), b -> storeMembers(b).contains(joiner));
        }
    }

    /** The names in {@code store_members} of a {@code /cluster} body. */
    static List<String> storeMembers(String clusterBody) {
        int at = clusterBody.indexOf("\"store_members\":[");
        if (at < 0) {
            return List.of();
        }
        String list = clusterBody.substring(at + 17);
        return List.of(list.substring(0, list.indexOf(']')).replace("\"", "").split(","));
    }

    /** SIGKILL of the agent and of the postmaster with every process below both: the node dies at once. */
    public void kill(String name) {
        signal(name, "KILL");
        Node n = node(name);
        if (n.agent != null) {
            try {
                n.agent.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            n.agent = null;
        }
    }

    /** SIGSTOP of the agent and its Postgres: the node freezes. */
    public void freeze(String name) {
        signal(name, "STOP");
    }

    /** SIGCONT of what {@link #freeze} stopped. */
    public void thaw(String name) {
        signal(name, "CONT");
    }

    /** Whether the agent process of {@code name} is alive. */
    public boolean agentAlive(String name) {
        Process p = node(name).agent;
        return p != null && p.isAlive();
    }

    /** The postmaster PID from {@code postmaster.pid}, if the file exists and the process is alive. */
    public Optional<Long> postmasterPid(String name) {
        try {
            List<String> lines = Files.readAllLines(node(name).pgData().resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void signal(String name, String sig) {
        List<Long> pids = new ArrayList<>();
        Process agent = node(name).agent;
        if (agent != null && agent.isAlive()) {
            pids.add(agent.pid());
            agent.descendants().forEach(h -> pids.add(h.pid()));
        }
        postmasterPid(name).ifPresent(pm -> {
            pids.add(pm);
            ProcessHandle.of(pm).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        });
        if (pids.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> argv.add(String.valueOf(p)));
        try {
            // One kill(1) for all: the agent and its Postgres get the signal together.
            new ProcessBuilder(argv).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + sig + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The HTTP status of {@code GET path} on {@code name}'s REST API, or -1 when it does not answer. */
    public int get(String name, String path) {
        return fetch(name, path).map(HttpResponse::statusCode).orElse(-1);
    }

    /** The body of {@code GET path}, or empty when the node does not answer. */
    public Optional<String> body(String name, String path) {
        return fetch(name, path).map(HttpResponse::body);
    }

    private Optional<HttpResponse<String>> fetch(String name, String path) {
        Node n = node(name);
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + n.address + ":" + n.ports.rest() + path))
                .timeout(Duration.ofSeconds(3)).build();
        try {
            return Optional.of(http.send(r, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The JDBC URL of {@code name}'s Postgres (direct, not through the proxy). */
    public String jdbcUrl(String name) {
        Node n = node(name);
        return "jdbc:postgresql://" + n.address + ":" + n.ports.postgres() + "/postgres";
    }

    /** A superuser connection with short timeouts (a dead or frozen node fails fast). */
    public Connection connect(String name) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(name), p);
    }

    /** The first column of the first row, or empty when the node cannot answer. */
    public Optional<String> query(String name, String sql) {
        try (Connection c = connect(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code name}'s Postgres accepts a write right now: {@code txid_current()} assigns a transaction id,
     * which a server in recovery refuses. False when the node does not answer.
     */
    public boolean acceptsWrite(String name) {
        try (Connection c = connect(name); Statement s = c.createStatement()) {
            s.execute("SELECT txid_current()");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Stops every agent (asking it to stop its Postgres), kills what is left, and deletes the directory. */
    @Override
    public void close() throws IOException {
        for (Node n : nodes.values()) {
            thaw(n.name);
            if (agentAlive(n.name)) {
                Files.writeString(n.dataDir.resolve(NodeAgent.STOP_POSTGRES_MARKER), "test\n");
                n.agent.destroy();
            }
        }
        for (Node n : nodes.values()) {
            if (n.agent != null) {
                try {
                    if (!n.agent.waitFor(60, TimeUnit.SECONDS)) {
                        n.agent.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            // An agent killed earlier leaves its Postgres behind only if nobody restarted it.
            signal(n.name, "KILL");
        }
        // The agents' logs outlive the run, for the next reader of a failure.
        Path keep = Path.of("target", "fault-logs", base.getFileName().toString());
        Files.createDirectories(keep);
        for (Node n : nodes.values()) {
            Path log = base.resolve(n.name + ".log");
            if (Files.exists(log)) {
                Files.copy(log, keep.resolve(n.name + ".log"));
            }
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
