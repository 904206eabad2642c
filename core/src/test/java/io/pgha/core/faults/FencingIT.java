package io.pgha.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.testing.AgentCluster;
import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rule 1 under real faults, on three agent JVMs with real Postgres 15 on 127.0.0.81-83 (ttl 10 s, loop_wait 1 s,
 * safety_margin 2 s). A client writes straight to every node's Postgres every 50 ms during each fault and records
 * which node acknowledged which write; no two nodes may ever have accepted writes in interleaving periods.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FencingIT {
    private static final List<String> ADDRESSES = List.of("127.0.0.81", "127.0.0.82", "127.0.0.83");
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofMinutes(3);
    private AgentCluster nodes;

    @BeforeAll
    void form() throws Exception {
        nodes = AgentCluster.prepare("fencing", ADDRESSES, null);
        nodes.form(LONG);
        try (Connection c = nodes.connect("node1")) {
            WriteRecorder.createTable(c);
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (nodes != null) {
            nodes.close();
        }
    }

    /**
     * SIGKILL of the agent that leads the store's Raft group while it runs a replica: the store elects another
     * leader within its election timeout, well inside ttl - safety_margin, so the primary keeps its lease and its
     * Postgres, and writes go on.
     */
    @Test
    @Order(2)
    void killingTheStoreLeaderOnAReplicaLeavesThePrimaryAlone() throws Exception {
        String primary = primary();
        long postmaster = nodes.postmasterPid(primary).orElseThrow();
        String raftLeader = storeLeader();
        if (raftLeader.equals(primary)) {
            String to = nodes.names().stream().filter(n -> !n.equals(primary)).findFirst().orElseThrow();
            etcdctl(primary, "move-leader", memberId(to));
            nodes.await("store leadership moved to " + to, LONG, () -> to.equals(storeLeaderOrNull()));
            raftLeader = to;
        }
        String victim = raftLeader;
        String fencesBefore = fenceLines(primary);
        try (WriteRecorder writer = recorder()) {
            nodes.await("writes accepted by " + primary, LONG, () -> !writer.accepted(primary, 0).isEmpty());
            long killedAt = System.nanoTime();
            long killedMicros = WriteRecorder.micros();
            nodes.killAgent(victim);
            nodes.await("a new store leader", LONG, () -> {
                String l = storeLeaderOrNull();
                return l != null && !l.equals(victim);
            });
            // Past ttl: had the primary lost its lease, another node would have been promoted by now.
            nodes.await("2 x ttl after the kill", LONG, () -> System.nanoTime() - killedAt >= 2 * TTL.toNanos());
            nodes.await("writes on " + primary + " after 2 x ttl", LONG, () -> writer.accepted(primary, 0).stream()
                    .anyMatch(w -> w.startMicros() > killedMicros + 2 * TTL.toNanos() / 1000));
            writer.close();
            assertThat(WriteRecorder.overlap(writer.writes())).isEmpty();
            for (String n : nodes.names()) {
                if (!n.equals(primary)) {
                    assertThat(writer.accepted(n, 0)).as("writes accepted by %s", n).isEmpty();
                }
            }
        }
        assertThat(nodes.postmasterPid(primary)).contains(postmaster);
        assertThat(nodes.get(primary, "/primary")).isEqualTo(200);
        assertThat(fenceLines(primary)).isEqualTo(fencesBefore);
        nodes.start(victim);
        nodes.await(victim + " back as a replica", LONG, () -> nodes.get(victim, "/replica") == 200);
    }

    private WriteRecorder recorder() {
        Map<String, String> urls = new LinkedHashMap<>();
        nodes.names().forEach(n -> urls.put(n, nodes.jdbcUrl(n)));
        return new WriteRecorder(urls, "postgres", nodes.superuserPassword());
    }

    private String primary() {
        nodes.await("a primary", LONG, () -> otherPrimary("").isPresent());
        return otherPrimary("").get();
    }

    private Optional<String> otherPrimary(String not) {
        return nodes.names().stream().filter(n -> !n.equals(not))
                .filter(n -> nodes.get(n, "/primary") == 200).findFirst();
    }

    private String fenceLines(String node) throws IOException {
        return nodes.log(node).lines().filter(l -> l.contains("lease fence:")).toList().toString();
    }

    private String storeLeader() {
        nodes.await("a store leader", LONG, () -> storeLeaderOrNull() != null);
        return storeLeaderOrNull();
    }

    /** The node whose store member id is the leader id its own endpoint reports, or null. */
    private String storeLeaderOrNull() {
        for (String n : nodes.names()) {
            try {
                String json = etcdctl(n, "endpoint", "status", "-w", "json");
                Matcher member = Pattern.compile("\"member_id\":(\\d+)").matcher(json);
                Matcher leader = Pattern.compile("\"leader\":(\\d+)").matcher(json);
                if (member.find() && leader.find() && member.group(1).equals(leader.group(1))) {
                    return n;
                }
            } catch (IOException e) {
                // this endpoint is down; ask the next
            }
        }
        return null;
    }

    private String memberId(String node) throws IOException {
        Matcher m = Pattern.compile("\"member_id\":(\\d+)").matcher(etcdctl(node, "endpoint", "status", "-w", "json"));
        if (!m.find()) {
            throw new IOException("no member id from " + node);
        }
        return Long.toHexString(Long.parseUnsignedLong(m.group(1)));
    }

    private String etcdctl(String node, String... args) throws IOException {
        AgentCluster.Node n = nodes.node(node);
        List<String> argv = new java.util.ArrayList<>(List.of("etcdctl", "--command-timeout=5s",
                "--endpoints=http://" + n.address() + ":" + n.ports().client()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("etcdctl " + String.join(" ", args) + " hung");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException("etcdctl " + String.join(" ", args) + ": " + out);
        }
        return out;
    }
}
