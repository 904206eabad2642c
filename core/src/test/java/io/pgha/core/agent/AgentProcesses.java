package io.pgha.core.agent;

import io.pgha.core.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Agents as separate JVM processes, one per loopback address, all on the same free ports (as {@code pgha demo} does
 * on its fixed ones), so a test can SIGKILL an agent and its postmaster like a crashed host.
 */
final class AgentProcesses implements AutoCloseable {
    private final Path base;
    private final List<String> addresses;
    private final NodeYaml.Ports ports;
    private final String password = UUID.randomUUID().toString();
    private final Map<String, Process> agents = new LinkedHashMap<>();

    private AgentProcesses(Path base, List<String> addresses, NodeYaml.Ports ports) {
        this.base = base;
        this.addresses = addresses;
        this.ports = ports;
    }

    /** Writes the token, the superuser password and one configuration file per address under a new directory. */
    static AgentProcesses prepare(String prefix, List<String> addresses) throws IOException {
        Path base = Files.createTempDirectory(Path.of("/var/tmp"), prefix);
        // The Postgres OS user must be able to reach each node's directory below it.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Integer> p = LoopbackPorts.freeOnAll(addresses, 7);
        AgentProcesses cluster = new AgentProcesses(base, addresses,
                new NodeYaml.Ports(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5), p.get(6)));
        Files.writeString(base.resolve("cluster.token"), UUID.randomUUID() + "\n");
        Files.writeString(base.resolve("superuser.pw"), cluster.password + "\n");
        for (int i = 0; i < addresses.size(); i++) {
            String name = name(i);
            String yaml = new NodeYaml("proc-it", name, addresses.get(i), base.resolve(name),
                    base.resolve("cluster.token"), cluster.ports).render().replace("postgres:\n",
                    "postgres:\n  superuser:\n    password_file: " + base.resolve("superuser.pw") + "\n");
            Files.writeString(base.resolve(name + ".yml"), yaml);
        }
        return cluster;
    }

    static String name(int index) {
        return "node" + (index + 1);
    }

    NodeYaml.Ports ports() {
        return ports;
    }

    String address(String name) {
        return addresses.get(Integer.parseInt(name.substring(4)) - 1);
    }

    String superuserPassword() {
        return password;
    }

    /** Starts the agent of {@code name}; every node but the first joins the first. */
    void start(String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.pgha.core.cli.Main", "run", "--config", base.resolve(name + ".yml").toString()));
        if (!name.equals(name(0))) {
            argv.addAll(List.of("--join", addresses.get(0)));
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve(name + ".log").toFile()));
        agents.put(name, pb.start());
    }

    boolean alive(String name) {
        return agents.containsKey(name) && agents.get(name).isAlive();
    }

    /** The postmaster of {@code name}, from its postmaster.pid. */
    Optional<ProcessHandle> postmaster(String name) throws IOException {
        Path pidFile = base.resolve(name).resolve("pgdata").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip()));
    }

    /** A host crash: SIGKILL to the agent and its postmaster at the same moment. */
    void crash(String name) throws IOException, InterruptedException {
        Optional<ProcessHandle> pm = postmaster(name);
        Process agent = agents.get(name);
        agent.destroyForcibly();
        pm.ifPresent(ProcessHandle::destroyForcibly);
        agent.waitFor(30, TimeUnit.SECONDS);
    }

    /** The tail of a node's log, for failure messages. */
    String logTail(String name) {
        try (Stream<String> lines = Files.lines(base.resolve(name + ".log"))) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 15), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops every agent with its Postgres, fast-stops a postmaster left behind, and removes the directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (Map.Entry<String, Process> e : agents.entrySet()) {
            if (e.getValue().isAlive()) {
                Files.writeString(base.resolve(e.getKey()).resolve(NodeAgent.STOP_POSTGRES_MARKER), "test\n");
                e.getValue().destroy();
            }
        }
        for (Map.Entry<String, Process> e : agents.entrySet()) {
            if (!e.getValue().waitFor(60, TimeUnit.SECONDS)) {
                e.getValue().destroyForcibly();
            }
            Optional<ProcessHandle> pm = postmaster(e.getKey());
            if (pm.isPresent() && pm.get().isAlive()) {
                // SIGINT: Postgres's fast shutdown (SIGTERM would wait for the clients to leave)
                new ProcessBuilder("kill", "-INT", Long.toString(pm.get().pid())).start().waitFor();
                for (int i = 0; i < 300 && pm.get().isAlive(); i++) {
                    Thread.sleep(100); // waiting for a process to exit; onExit() adds nothing but exceptions here
                }
                pm.get().destroyForcibly();
            }
        }
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
