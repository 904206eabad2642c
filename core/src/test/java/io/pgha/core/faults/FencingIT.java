package io.pgha.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.testing.AgentCluster;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * Rule 1 under real faults, on three agent JVMs with real Postgres 15 on 127.0.0.101-103 (ttl 10 s, loop_wait 1 s,
 * safety_margin 2 s, synchronous_mode on). A client writes straight to every node's Postgres every 50 ms during each
 * fault and records which node acknowledged which write; no two nodes may ever have accepted writes in interleaving
 * periods, and no acknowledged write may be lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FencingIT {
    private static final List<String> ADDRESSES = List.of("127.0.0.101", "127.0.0.102", "127.0.0.103");
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofMinutes(3);
    private AgentCluster nodes;

    @BeforeAll
    void form() throws Exception {
        // Synchronous: what closes the resume race of a frozen primary (see the frozen-node test).
        nodes = AgentCluster.builder("fencing", ADDRESSES)
                .extraHa("  synchronous_mode: \"on\"\n  synchronous_node_count: 1\n").build();
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
     * The primary's agent and its whole Postgres process group are SIGSTOPped for 2 x ttl, as a paused VM would be,
     * and resumed with one SIGCONT. Another node is promoted meanwhile. At SIGCONT the kernel may schedule Postgres
     * before the agent's fence thread, so the fence alone cannot keep a commit from being acknowledged in that
     * instant; Postgres itself refuses to: a commit waits for the synchronous standby, which was promoted (or
     * repointed) during the freeze and never confirms. So no write may be acknowledged by the old primary after the
     * new one took its first write, with no window excepted.
     */
    @Test
    @Order(3)
    void aPrimaryFrozenForTwiceTheTtlNeverAcknowledgesAWriteAfterAnotherIsPromoted() throws Exception {
        String old = primary();
        nodes.await(old + " has a synchronous standby", LONG, () -> "1".equals(nodes.query(old,
                "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'").orElse("")));
        long postmaster = nodes.postmasterPid(old).orElseThrow();
        // Exercises the resume race for sure: an insert sent on an open session while the node is frozen waits in
        // the socket, and its backend runs it the moment SIGCONT lands, before the fence can.
        Connection racer = nodes.connect(old, LONG);
        try (racer; WriteRecorder writer = recorder()) {
            nodes.await("writes accepted by " + old, LONG, () -> !writer.accepted(old, 0).isEmpty());
            long frozenAt = System.nanoTime();
            long frozenMicros = WriteRecorder.micros();
            nodes.freeze(old);
            String next;
            long thawMicros;
            CompletableFuture<Long> raced;
            try {
                raced = CompletableFuture.supplyAsync(() -> insertAt(racer, old));
                nodes.await("another node answers /primary", LONG, () -> otherPrimary(old).isPresent());
                next = otherPrimary(old).get();
                nodes.await(next + " accepts writes", LONG, () -> !writer.accepted(next, frozenMicros).isEmpty());
                nodes.await("2 x ttl frozen", LONG, () -> System.nanoTime() - frozenAt >= 2 * TTL.toNanos());
            } finally {
                thawMicros = WriteRecorder.micros();
                nodes.thaw(old);
            }
            long thawedAt = System.nanoTime();
            nodes.await("the frozen node's postmaster gone", LONG, () -> !ProcessHandle.of(postmaster)
                    .map(ProcessHandle::isAlive).orElse(false));
            double goneMs = (System.nanoTime() - thawedAt) / 1e6;
            nodes.await("the insert sent during the freeze answered", LONG, raced::isDone);
            String racedOutcome = raced.handle((at, e) -> e == null ? "ACKNOWLEDGED " + (at - thawMicros) / 1000
                    + " ms after SIGCONT" : "failed: " + e.getCause().getMessage()).join();
            System.out.printf("fencing/freeze: the insert sent on an open session during the freeze %s%n",
                    racedOutcome);
            assertThat(racedOutcome).as("the insert sent during the freeze").startsWith("failed");
            nodes.await(old + " streaming from " + next, LONG, () -> nodes.streaming(next).contains(old));
            nodes.await(old + " answers /replica", LONG, () -> nodes.get(old, "/replica") == 200);
            int before = writer.accepted(next, 0).size();
            nodes.await("more writes on " + next, LONG, () -> writer.accepted(next, 0).size() > before + 10);
            writer.close();
            long firstNew = writer.accepted(next, frozenMicros).get(0).startMicros();
            long lastOld = writer.accepted(old, 0).stream().mapToLong(WriteRecorder.Write::endMicros).max()
                    .orElseThrow();
            List<WriteRecorder.Write> afterThaw = writer.writes().stream().filter(w -> w.node().equals(old))
                    .filter(w -> w.endMicros() > thawMicros).toList();
            long triedAfterThaw = afterThaw.size();
            // Why each attempt ending after SIGCONT failed, e.g. a commit left waiting for the synchronous standby.
            afterThaw.stream().filter(w -> !w.ok()).collect(java.util.stream.Collectors.groupingBy(
                    w -> w.error().replaceAll("[0-9]+", "N"), java.util.stream.Collectors.counting()))
                    .forEach((e, count) -> System.out.printf("fencing/freeze: %d x %s%n", count, e));
            System.out.printf("fencing/freeze: %s frozen %.1f s; %s's first write started %.1f s after the freeze;"
                    + " %s's last acknowledged write ended %.1f s before it; postmaster gone %.0f ms after SIGCONT;"
                    + " %d writes to %s ended after SIGCONT, %d acknowledged%n", old, (thawMicros - frozenMicros) / 1e6,
                    next, (firstNew - frozenMicros) / 1e6, old, (firstNew - lastOld) / 1e6, goneMs, triedAfterThaw,
                    old, writer.accepted(old, thawMicros).size());
            assertThat(writer.accepted(old, 0)).as("writes acknowledged by %s after %s's first", old, next)
                    .allMatch(w -> w.endMicros() < firstNew);
            assertThat(WriteRecorder.overlap(writer.writes())).isEmpty();
            assertThat(nodes.primaries()).containsExactly(next);
            nodes.await("every other node streaming from " + next, LONG, () -> nodes.streaming(next)
                    .equals(String.join(",", nodes.names().stream().filter(n -> !n.equals(next)).toList())));
            try (Connection c = nodes.connect(next)) {
                assertThat(writer.lostOn(c)).as("acknowledged writes missing on %s", next).isEmpty();
            }
            assertThat(nodes.log(old)).contains("lease fence: leader key not renewed since")
                    .contains("killed postmaster " + postmaster + " and ").contains("pg_rewind from " + next);
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

    /** One insert on {@code c}; the wall-clock time of its acknowledgement in microseconds. */
    private static long insertAt(Connection c, String node) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + WriteRecorder.TABLE
                + " (node, seq) VALUES (?, -1)")) {
            ps.setString(1, node + "-frozen-session");
            ps.executeUpdate();
            return WriteRecorder.micros();
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
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
