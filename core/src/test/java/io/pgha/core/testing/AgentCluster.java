package io.pgha.core.testing;

import io.pgha.core.agent.NodeAgent;
import io.pgha.core.agent.NodeYaml;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
import io.pgha.core.config.HostPort;
import io.pgha.core.config.PghaConfig;
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
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A cluster of real pgha agents on one machine, each on its own loopback address with free ports and its own
 * Postgres 15, for the integration and fault tests. An agent runs as its own JVM ({@code Main run|witness} from this
 * test's class path, logging to {@code <name>.log}), so it can be SIGKILLed, SIGSTOPped and SIGCONTed with its
 * postmaster like a host that dies or freezes; or in this JVM ({@link #startInProcess}). The founder (the first
 * node) forms the cluster; the others join it. {@link #close()} stops everything it started, keeps the logs under
 * {@code target/agent-logs/} and deletes the directory (kept with {@code -Dpgha.keep=true}).
 */
public final class AgentCluster implements AutoCloseable {
    private final Path base;
    private final String password;
    private final Function<String, List<String>> launcher;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One node: its address, ports, config file, and its running agent if any. */
    public static final class Node {
        private final String name;
        private final String address;
        private final NodeYaml.Ports ports;
        private final Path config;
        private final Path dataDir;
        private Process agent;
        private NodeAgent inProcess;

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

        public Path config() {
            return config;
        }

        public Path dataDir() {
            return dataDir;
        }

        /** The Postgres data directory (pgha keeps it in {@code <data_dir>/pgdata}). */
        public Path pgData() {
            return dataDir.resolve("pgdata");
        }
    }

    /** What {@link #build()} writes: the cluster's name, addresses, node names and {@code ha:} lines. */
    public static final class Builder {
        private final String cluster;
        private final List<String> addresses;
        private List<String> names;
        private String ha;
        private final Map<String, String> extraHa = new LinkedHashMap<>();
        private Function<String, List<String>> launcher = name -> List.of();
        private String portsFrom;

        private Builder(String cluster, List<String> addresses) {
            this.cluster = cluster;
            this.addresses = List.copyOf(addresses);
            this.names = new ArrayList<>();
            for (int i = 0; i < addresses.size(); i++) {
                names.add("node" + (i + 1));
            }
        }

        /** Node names, one per address (default node1..nodeN). */
        public Builder names(List<String> names) {
            this.names = List.copyOf(names);
            return this;
        }

        /**
         * The lines of the {@code ha:} section (two-space indented), "" for the product defaults, or null (the
         * default) for the demo's timings (ttl 10s, loop_wait 1s: a loaded test machine stalls for seconds).
         */
        public Builder ha(String section) {
            this.ha = section;
            return this;
        }

        /** Lines (two-space indented) added to the {@code ha:} section of every node. */
        public Builder extraHa(String lines) {
            names.forEach(n -> extraHa.merge(n, lines, String::concat));
            return this;
        }

        /** A command prefix per node name for its agent, e.g. {@code ip netns exec <ns>} (which execs: same pid). */
        public Builder launcher(Function<String, List<String>> prefix) {
            this.launcher = prefix;
            return this;
        }

        /** Picks ports free on {@code address}, not on the nodes' own (in network namespaces this one cannot bind). */
        public Builder portsFrom(String address) {
            this.portsFrom = address;
            return this;
        }

        /** Lines (two-space indented) added to the {@code ha:} section of {@code node}. */
        public Builder extraHa(String node, String lines) {
            extraHa.merge(node, lines, String::concat);
            return this;
        }

        /**
         * Writes the token, a superuser password and one config per node under a fresh directory in /var/tmp (the
         * Postgres OS user must reach it).
         */
        public AgentCluster build() throws IOException {
            Path base = Files.createTempDirectory(Path.of("/var/tmp"), "pgha-" + cluster + "-");
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path token = base.resolve("cluster.token");
            Files.writeString(token, UUID.randomUUID() + "\n");
            Path pw = base.resolve("superuser.pw");
            String password = UUID.randomUUID().toString();
            Files.writeString(pw, password + "\n");
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            AgentCluster cl = new AgentCluster(base, password, launcher);
            // The REST port is equal on every node: a joiner asks the founder on its own rest.port.
            int rest = LoopbackPorts.freeOnAll(portsFrom == null ? addresses : List.of(portsFrom));
            for (int i = 0; i < addresses.size(); i++) {
                String name = names.get(i);
                String a = addresses.get(i);
                NodeYaml.Ports ports = LoopbackPorts.forNode(portsFrom == null ? a : portsFrom, rest);
                Path dataDir = base.resolve(name);
                String yaml = new NodeYaml(cluster, name, a, dataDir, token, ports).render()
                        .replace("postgres:\n", "postgres:\n  superuser:\n    password_file: " + pw + "\n");
                Path file = base.resolve(name + ".yml");
                Files.writeString(file, withHa(yaml, extraHa.getOrDefault(name, "")));
                cl.nodes.put(name, new Node(name, a, ports, file, dataDir));
            }
            return cl;
        }

        private String withHa(String yaml, String extra) {
            int from = yaml.indexOf("ha:\n");
            int to = yaml.indexOf("rest:\n");
            String section = ha == null ? yaml.substring(from + 4, to) : ha;
            if (!section.isEmpty() && !section.endsWith("\n")) {
                section += "\n";
            }
            section += extra;
            return yaml.substring(0, from) + (section.isEmpty() ? "" : "ha:\n" + section) + yaml.substring(to);
        }
    }

    private AgentCluster(Path base, String password, Function<String, List<String>> launcher) {
        this.base = base;
        this.password = password;
        this.launcher = launcher;
    }

    /** A cluster named {@code cluster}, one node per address. */
    public static Builder builder(String cluster, List<String> addresses) {
        return new Builder(cluster, addresses);
    }

    /** Nodes node1..nodeN with the given {@code ha:} lines (see {@link Builder#ha}). */
    public static AgentCluster prepare(String cluster, List<String> addresses, String ha) throws IOException {
        return builder(cluster, addresses).ha(ha).build();
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

    public String superuserPassword() {
        return password;
    }

    private Node founder() {
        return nodes.values().iterator().next();
    }

    /**
     * Starts the agent of {@code name} as its own JVM (a joiner with {@code --join <founder>}); a node joining
     * with a fresh store returns once the store admitted it: joins go one at a time, as concurrent joins were seen
     * to leave the store without a quorum.
     */
    public void start(String name) throws IOException {
        launch(name, "run");
    }

    /** Starts {@code name} as a witness (a store-only voter) joining the founder, once the store admitted it. */
    public void startWitness(String name) throws IOException {
        launch(name, "witness");
    }

    private void launch(String name, String command) throws IOException {
        Node n = node(name);
        if (n.agent != null && n.agent.isAlive()) {
            throw new IllegalStateException(name + "'s agent is already running (pid " + n.agent.pid() + ")");
        }
        boolean freshStore = !Files.isDirectory(n.dataDir.resolve("store"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(launcher.apply(name));
        argv.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.pgha.core.cli.Main", command,
                "--config", n.config.toString()));
        boolean joins = n != founder();
        if (joins) {
            // Ignored once the node's store exists: a restarted member rejoins from its own store.
            argv.addAll(List.of("--join", founder().address));
        }
        n.agent = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile())).start();
        if (joins && freshStore) {
            await(name + " admitted to the store", Duration.ofMinutes(3),
                    () -> log(name).contains(name + " is a member; members:"));
        }
    }

    /**
     * Starts every node for the first time, one join at a time, and waits for the founder to be primary with every
     * other node streaming from it and answering {@code /replica}.
     */
    public void form(Duration timeout) throws IOException {
        String first = founder().name;
        start(first);
        await(first + " answers /primary 200", timeout, () -> get(first, "/primary") == 200);
        List<String> joiners = names().subList(1, names().size());
        for (String joiner : joiners) {
            start(joiner);
        }
        String all = String.join(",", joiners);
        await("every replica streaming from " + first, timeout, () -> all.equals(streaming(first)));
        for (String joiner : joiners) {
            await(joiner + " answers /replica 200", timeout, () -> get(joiner, "/replica") == 200);
        }
    }

    /** The config of {@code name} as an in-process agent reads it (a joiner joins the founder). */
    public PghaConfig config(String name) {
        Node n = node(name);
        try {
            PghaConfig c = ConfigLoader.load(n.config, Environment.system());
            return n == founder() ? c : new PghaConfig(c.cluster().withJoin(new HostPort(founder().address, 0)),
                    c.node(), c.store(), c.postgres(), c.ha(), c.rest(), c.proxy(), c.backup(), c.hardening(),
                    c.tls());
        } catch (ConfigException e) {
            throw new IllegalStateException(n.config + ": " + e.getMessage(), e);
        }
    }

    /** Starts the agent of {@code name} in this JVM (its log goes to this JVM's logback). */
    public NodeAgent startInProcess(String name) {
        Node n = node(name);
        n.inProcess = NodeAgent.start(config(name));
        return n.inProcess;
    }

    /** The in-process agent of {@code name}. */
    public NodeAgent agent(String name) {
        return Optional.ofNullable(node(name).inProcess)
                .orElseThrow(() -> new IllegalStateException(name + " runs no agent in this JVM"));
    }

    /** The names in {@code store_members} of a {@code /cluster} body. */
    public static List<String> storeMembers(String clusterBody) {
        int at = clusterBody.indexOf("\"store_members\":[");
        if (at < 0) {
            return List.of();
        }
        String list = clusterBody.substring(at + 17);
        return List.of(list.substring(0, list.indexOf(']')).replace("\"", "").split(","));
    }

    /** SIGKILL of the agent and of the postmaster with every process below both: the node dies at once. */
    public void kill(String name) {
        List<ProcessHandle> victims = nodeProcesses(name);
        signal("KILL", victims.stream().map(h -> String.valueOf(h.pid())).toList());
        for (ProcessHandle h : victims) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        }
        node(name).agent = null;
    }

    /** SIGKILL of the agent JVM only; its Postgres keeps running. */
    public void killAgent(String name) {
        Process agent = node(name).agent;
        if (agent != null) {
            signal("KILL", List.of(String.valueOf(agent.pid())));
            agent.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> agent).join();
        }
    }

    /** SIGSTOP of the agent and Postgres's process group (a backend forked after the listing is frozen too). */
    public void freeze(String name) {
        signal("STOP", nodeTargets(name));
    }

    /** SIGCONT of what {@link #freeze} stopped, in one kill(1). */
    public void thaw(String name) {
        signal("CONT", nodeTargets(name));
    }

    /** Postgres's process group (pg_ctl makes the postmaster a session leader), the agent and every process seen. */
    private List<String> nodeTargets(String name) {
        List<String> targets = new ArrayList<>();
        postmasterPid(name).filter(pm -> ProcessGroups.of(pm) == pm).ifPresent(pm -> targets.add("-" + pm));
        nodeProcesses(name).forEach(h -> targets.add(String.valueOf(h.pid())));
        return targets;
    }

    /** Whether the agent process of {@code name} is alive. */
    public boolean agentAlive(String name) {
        Process p = node(name).agent;
        return p != null && p.isAlive();
    }

    /** The agent JVM's pid, if it was started. */
    public Optional<Long> agentPid(String name) {
        return Optional.ofNullable(node(name).agent).map(Process::pid);
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

    private List<ProcessHandle> nodeProcesses(String name) {
        List<ProcessHandle> all = new ArrayList<>();
        Process agent = node(name).agent;
        if (agent != null && agent.isAlive()) {
            all.add(agent.toHandle());
            agent.descendants().forEach(all::add);
        }
        postmasterPid(name).flatMap(ProcessHandle::of).ifPresent(pm -> {
            all.add(pm);
            pm.descendants().forEach(all::add);
        });
        return all;
    }

    /** One kill(1) for all {@code pids}: the agent and its Postgres get the signal together. */
    private static void signal(String sig, List<String> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-" + sig, "--"));
        argv.addAll(pids);
        try {
            new ProcessBuilder(argv).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + sig + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The HTTP status of {@code GET path} on {@code name}'s REST API, or -1 when it does not answer. */
    public int get(String name, String path) {
        return code(name, "GET", path);
    }

    /** The HTTP status of {@code method path} (no body), or -1 when the node does not answer. */
    public int code(String name, String method, String path) {
        return send(name, method, path, HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(5))
                .map(HttpResponse::statusCode).orElse(-1);
    }

    /** The body of {@code GET path}, or empty when the node does not answer. */
    public Optional<String> body(String name, String path) {
        return send(name, "GET", path, HttpRequest.BodyPublishers.noBody(), Duration.ofSeconds(5))
                .map(HttpResponse::body);
    }

    /** {@code method path} with {@code body}; an unreachable node is an IOException. */
    public HttpResponse<String> send(String name, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest r = request(name, path, Duration.ofSeconds(90))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private Optional<HttpResponse<String>> send(String name, String method, String path,
                                                HttpRequest.BodyPublisher body, Duration timeout) {
        try {
            return Optional.of(http.send(request(name, path, timeout).method(method, body).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest.Builder request(String name, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://" + restHost(name) + path)).timeout(timeout);
    }

    /** {@code address:port} of {@code name}'s REST API, as {@code pgha --host} takes it. */
    public String restHost(String name) {
        Node n = node(name);
        return n.address + ":" + n.ports.rest();
    }

    /** The nodes answering {@code /primary} 200. */
    public List<String> primaries() {
        return names().stream().filter(n -> get(n, "/primary") == 200).toList();
    }

    /** The JDBC URL of {@code name}'s Postgres (direct, not through the proxy). */
    public String jdbcUrl(String name) {
        Node n = node(name);
        return "jdbc:postgresql://" + n.address + ":" + n.ports.postgres() + "/postgres";
    }

    /** A superuser connection with short timeouts (a dead or frozen node fails fast). */
    public Connection connect(String name) throws SQLException {
        return connect(name, Duration.ofSeconds(5));
    }

    /** A superuser connection to {@code name}'s Postgres whose statements wait at most {@code socketTimeout}. */
    public Connection connect(String name, Duration socketTimeout) throws SQLException {
        return connect(node(name).address, node(name).ports.postgres(), socketTimeout);
    }

    /** A superuser connection to {@code host:port} (a proxy port, a load balancer). */
    public Connection connect(String host, int port, Duration socketTimeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", String.valueOf(socketTimeout.toSeconds()));
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", p);
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

    /** The names streaming from {@code primary} per its pg_stat_replication, sorted and comma-separated. */
    public String streaming(String primary) {
        return query(primary, "SELECT string_agg(application_name, ',' ORDER BY application_name)"
                + " FROM pg_stat_replication WHERE state = 'streaming'").orElse("");
    }

    public Path logFile(String name) {
        return base.resolve(name + ".log");
    }

    /** The log of {@code name}'s agent process, "" before it exists. */
    public String log(String name) {
        try {
            return Files.exists(logFile(name)) ? Files.readString(logFile(name)) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for {@code condition}; a timeout shows the tail of every node's log. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.until(what, timeout, condition::getAsBoolean, ok -> ok, this::logTails);
    }

    private String logTails() {
        StringBuilder out = new StringBuilder();
        for (String n : nodes.keySet()) {
            List<String> lines = log(n).lines().toList();
            out.append("\n--- ").append(n).append(".log\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        return out.toString();
    }

    /** Stops every agent (asking it to stop its Postgres), kills what is left, keeps the logs, deletes the rest. */
    @Override
    public void close() throws IOException {
        for (Node n : nodes.values()) {
            thaw(n.name);
            if (n.inProcess != null) {
                n.inProcess.stopPostgresOnClose();
                n.inProcess.close();
            }
            if (agentAlive(n.name)) {
                if (Files.isDirectory(n.dataDir)) {
                    Files.writeString(n.dataDir.resolve(NodeAgent.STOP_POSTGRES_MARKER), "test\n");
                }
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
            // An agent killed earlier leaves its Postgres behind if nobody restarted it.
            kill(n.name);
        }
        Path keep = Path.of("target", "agent-logs", base.getFileName().toString());
        Files.createDirectories(keep);
        for (Node n : nodes.values()) {
            if (Files.exists(logFile(n.name))) {
                Files.copy(logFile(n.name), keep.resolve(n.name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Boolean.getBoolean("pgha.keep")) {
            try (Stream<Path> all = Files.walk(base)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
