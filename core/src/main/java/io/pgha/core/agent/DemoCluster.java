package io.pgha.core.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pgha demo}: three agent processes from this same JVM's class path on 127.0.0.11-13 with the real ports.
 * node1 forms the cluster, node2 and node3 join it. {@link #close()} stops the agents and their Postgres.
 */
public final class DemoCluster implements AutoCloseable {
    public static final List<String> ADDRESSES = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
    private final Path dir;
    private final List<Process> agents = new ArrayList<>();

    private DemoCluster(Path dir) {
        this.dir = dir;
    }

    /** Writes the token, the superuser password and three configuration files under {@code dir}. */
    public static DemoCluster prepare(Path dir) throws IOException {
        return prepare(dir, false);
    }

    /**
     * As {@link #prepare(Path)}; {@code synchronous} sets {@code ha.synchronous_mode: on} in every node's file, so
     * the end-to-end benchmark can measure both modes on the same demo.
     */
    public static DemoCluster prepare(Path dir, boolean synchronous) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwxr-xr-x"));
        writeSecret(abs.resolve("cluster.token"));
        writeSecret(abs.resolve("superuser.pw"));
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String name = "node" + (i + 1);
            String yaml = new NodeYaml("demo", name, ADDRESSES.get(i), abs.resolve(name), abs.resolve("cluster.token"),
                    NodeYaml.Ports.DEFAULTS).render().replace("postgres:\n", "postgres:\n  superuser:\n"
                    + "    password_file: " + abs.resolve("superuser.pw") + "\n")
                    // The demo shows the product's own timings, not the tests' longer lease.
                    .replace(NodeYaml.TEST_TIMINGS, synchronous ? "ha:\n  synchronous_mode: on\n" : "");
            Files.writeString(abs.resolve(name + ".yml"), yaml);
        }
        return new DemoCluster(abs);
    }

    public Path dir() {
        return dir;
    }

    /** The superuser password the demo generated. */
    public String superuserPassword() throws IOException {
        return Files.readString(dir.resolve("superuser.pw")).strip();
    }

    /** Starts the three agents, each logging to {@code nodeN.log}. */
    public void start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = System.getProperty("java.class.path");
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String name = "node" + (i + 1);
            List<String> argv = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", classPath,
                    "io.pgha.core.cli.Main", "run", "--config", dir.resolve(name + ".yml").toString()));
            if (i > 0) {
                argv.addAll(List.of("--join", ADDRESSES.get(0)));
            }
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile()).start();
            agents.add(p);
        }
    }

    /** Whether every agent process is still alive. */
    public boolean agentsAlive() {
        return agents.stream().allMatch(Process::isAlive);
    }

    /** Stops each agent with SIGTERM after asking it to stop its Postgres too, and waits for them. */
    @Override
    public void close() throws IOException {
        for (int i = 0; i < agents.size(); i++) {
            Files.writeString(dir.resolve("node" + (i + 1)).resolve(NodeAgent.STOP_POSTGRES_MARKER), "demo\n");
            agents.get(i).destroy();
        }
        for (Process p : agents) {
            try {
                if (!p.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static void writeSecret(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
