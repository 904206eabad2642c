package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.pgha.core.cli.ExitCodes;
import io.pgha.core.cli.PghaCommand;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.testing.AgentCluster;
import io.pgha.core.testing.Await;
import io.pgha.core.testing.LoopbackPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Planned operations on a real three-node cluster (127.0.0.51-53, node3 tagged nofailover): the real Debian
 * haproxy with a Patroni health check in front of it, a switchover under a writer and a connect loop, a refused
 * switchover, and maintenance mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlannedOpsIT {
    private static final List<String> ADDRESSES = List.of("127.0.0.51", "127.0.0.52", "127.0.0.53");
    private static final String HAPROXY_ADDRESS = "127.0.0.54";
    private final Queue<String> agentLog = new ConcurrentLinkedQueue<>();
    private AgentCluster cluster;
    private Process haproxy;
    private int haproxyPort;

    @BeforeAll
    void formCluster() throws Exception {
        Logger agentLogger = (Logger) LoggerFactory.getLogger("io.pgha.core.agent");
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                agentLog.add(e.getFormattedMessage());
            }
        };
        appender.start();
        agentLogger.addAppender(appender);
        cluster = AgentCluster.builder("planned-it", ADDRESSES).extraHa("node3", "  tags:\n    nofailover: true\n")
                .build();
        for (String name : cluster.names()) {
            cluster.startInProcess(name);
        }
        Await.until("one primary and two streaming replicas", Duration.ofMinutes(4),
                () -> streamingReplicas("node1") == 2);
        Await.until("node1 reports itself primary with the leader key", Duration.ofSeconds(60),
                () -> cluster.agent("node1").status().map(NodeStatus::isPrimaryWithKey).orElse(false));
        try (Connection c = cluster.connect("node1"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acked (id bigint PRIMARY KEY)");
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void haproxyWithAPatroniHealthCheckReachesThePrimary() throws Exception {
        haproxyPort = LoopbackPorts.free(HAPROXY_ADDRESS);
        StringBuilder cfg = new StringBuilder("global\n    maxconn 100\n\ndefaults\n    mode tcp\n    retries 2\n"
                + "    timeout client 30m\n    timeout connect 4s\n    timeout server 30m\n    timeout check 5s\n\n"
                + "listen primary\n    bind " + HAPROXY_ADDRESS + ":" + haproxyPort + "\n"
                + "    option httpchk OPTIONS /primary\n    http-check expect status 200\n"
                + "    default-server inter 500ms fall 2 rise 1 on-marked-down shutdown-sessions\n");
        for (String name : cluster.names()) {
            AgentCluster.Node n = cluster.node(name);
            cfg.append("    server ").append(name).append(' ').append(n.address()).append(':')
                    .append(n.ports().postgres()).append(" check port ").append(n.ports().rest())
                    .append(" addr ").append(n.address()).append('\n');
        }
        Path file = cluster.base().resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        haproxy = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(cluster.base().resolve("haproxy.log").toFile()).start();
        Await.until("haproxy sends a connection to node1, the primary", Duration.ofSeconds(60),
                () -> "127.0.0.51:f".equals(throughHaproxy()));
    }

    @Test
    @Order(2)
    void aSwitchoverToAnIneligibleCandidateIsRefusedAndChangesNothing() throws Exception {
        // node2 answers from its own last view: wait until it has seen every member running.
        Await.until("node2 sees three running members", Duration.ofSeconds(60), () -> cluster.agent("node2")
                .status().map(s -> s.cluster().members().stream().filter(m -> m.isRunning()).count() == 3)
                .orElse(false));
        assertResponse(post("{\"leader\":\"node1\",\"candidate\":\"node3\"}"), 412, "node3 is not eligible",
                "nofailover");
        assertResponse(post("{\"leader\":\"node2\",\"candidate\":\"node3\"}"), 412, "leader name does not match");
        assertResponse(post("{\"candidate\":\"node2\"}"), 400, "from a specific leader");
        assertResponse(post("{\"leader\":\"node1\",\"candidate\":\"node1\"}"), 400, "are the same");
        assertResponse(post("{\"leader\":\"node1\",\"scheduled_at\":\"2020-01-01T00:00:00+00:00\"}"), 422,
                "in the past");
        assertResponse(post("{\"leader\":\"node1\",\"scheduled_at\":\"2099-01-01T00:00:00\"}"), 400, "Timezone");
        CliResult cli = cli("switchover", "--host", host("node2"), "--candidate", "node3");
        assertThat(cli.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.err()).contains("node3 is not eligible: tagged nofailover").contains("HTTP 412");
        assertThat(cluster.agent("node1").status().orElseThrow().cluster().failover()).isEmpty();
        assertThat(cluster.code("node1", "GET", "/primary")).isEqualTo(200);
        assertThat(cluster.query("node1", "SELECT pg_is_in_recovery()")).contains("f");
    }

    @Test
    @Order(3)
    void aSwitchoverUnderAWriterHandsOverWithoutLosingAnAcknowledgedRowAndWithoutARewind() throws Exception {
        Writer writer = new Writer(cluster.config("node3"));
        Thread t = new Thread(writer, "so-writer");
        t.start();
        ConnectLoop connects = new ConnectLoop(cluster.config("node1"));
        Thread c = new Thread(connects, "so-connects");
        c.start();
        Await.until("the writer commits through the proxy", Duration.ofSeconds(60), () -> writer.acked.size() > 20);
        Await.until("the connect loop reaches the primary", Duration.ofSeconds(60), () -> connects.landed.get() > 5);
        int before = agentLog.size();
        CliResult cli = cli("switchover", "--host", host("node3"), "--candidate", "node2");
        assertThat(cli.code()).as(cli.err()).isEqualTo(ExitCodes.OK);
        assertThat(cli.out()).contains("Successfully switched over to \"node2\"");
        int ackedAtSwitch = writer.acked.size();
        int landedAtSwitch = connects.landed.get();
        Await.until("more commits after the switchover", Duration.ofSeconds(60),
                () -> writer.acked.size() > ackedAtSwitch + 20);
        Await.until("more new connections after the switchover", Duration.ofSeconds(60),
                () -> connects.landed.get() > landedAtSwitch + 5);
        writer.stop.set(true);
        connects.stop.set(true);
        t.join();
        c.join();
        System.out.printf("switchover: longest gap between acknowledged commits %d ms (%d commits, %d errors); "
                + "%d new connections, the slowest %d ms%n", writer.longestGapMillis, writer.acked.size(),
                writer.errors, connects.landed.get(), connects.slowestMillis);
        assertThat(connects.failures).as("new RW connections through node1's proxy (the old primary's own node) "
                + "during the switchover: held and released to the new primary, never refused").isEmpty();
        Await.until("node2 primary, node1 and node3 stream from it", Duration.ofSeconds(90),
                () -> streamingReplicas("node2") == 2);
        assertThat(cluster.query("node2", "SELECT pg_is_in_recovery()")).contains("f");
        assertThat(cluster.query("node1", "SELECT pg_is_in_recovery()")).contains("t");
        Set<Long> present = ids("node2");
        assertThat(present).containsAll(writer.acked);
        List<String> log = agentLog.stream().skip(before).toList();
        assertThat(log).anyMatch(l -> l.contains("switchover: postgres shut down cleanly"));
        assertThat(log).noneMatch(l -> l.contains("pg_rewind from")).noneMatch(l -> l.contains("clone: pg_basebackup"));
        awaitCode("node2", "/primary", 200);
        awaitCode("node1", "/replica", 200);
        assertThat(cluster.code("node1", "OPTIONS", "/primary")).isEqualTo(503);
        assertThat(cluster.code("node2", "HEAD", "/replica")).isEqualTo(503);
        Await.until("history records the switchover", Duration.ofSeconds(30), () -> {
            CliResult h = cli("history", "--host", host("node1"));
            return h.out().contains("switchover from node1") && h.out().contains("node2");
        });
        Await.until("haproxy follows to node2", Duration.ofSeconds(30),
                () -> "127.0.0.52:f".equals(throughHaproxy()));
    }

    @Test
    @Order(4)
    void whilePausedKillingThePrimarysPostgresPromotesNobodyAndResumeRecovers() throws Exception {
        assertThat(cli("pause", "--host", host("node1")).code()).isEqualTo(ExitCodes.OK);
        Await.until("every node sees maintenance mode", Duration.ofSeconds(30), () -> cluster.names()
                .stream().allMatch(n -> cluster.agent(n).status().map(s -> s.cluster().paused()).orElse(false)));
        assertThat(cli("list", "--host", host("node1")).out()).contains("Maintenance mode: on");
        Path pidFile = cluster.node("node2").pgData().resolve("postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        new ProcessBuilder("kill", "-KILL", String.valueOf(pid)).start().waitFor();
        // A negative: for twice the ttl (10 s) nobody may take over or start node2's Postgres.
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            for (String n : List.of("node1", "node3")) {
                assertThat(cluster.query(n, "SELECT pg_is_in_recovery()")).as(n + " stays a replica").contains("t");
                assertThat(cluster.agent(n).status().orElseThrow().cluster().isLeader(n)).isFalse();
            }
            assertThat(cluster.query("node2", "SELECT 1")).as("node2's postgres is not restarted").isEmpty();
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        assertThat(cli("resume", "--host", host("node1")).code()).isEqualTo(ExitCodes.OK);
        Await.until("one primary and two streaming replicas again", Duration.ofSeconds(120),
                () -> streamingReplicas("node2") == 2);
        assertThat(cli("list", "--host", host("node1")).out()).doesNotContain("Maintenance mode");
    }

    private Set<Long> ids(String node) throws SQLException {
        try (Connection c = cluster.connect(node); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM acked")) {
            Set<Long> out = new java.util.HashSet<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        }
    }

    /** {@code inet_server_addr():pg_is_in_recovery} through haproxy, or null. */
    private String throughHaproxy() {
        try (Connection c = cluster.connect(HAPROXY_ADDRESS, haproxyPort, Duration.ofSeconds(10));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT host(inet_server_addr()) || ':' || pg_is_in_recovery()::text")) {
            return rs.next() ? rs.getString(1).replace("false", "f").replace("true", "t") : null;
        } catch (SQLException e) {
            return null;
        }
    }

    private HttpResponse<String> post(String body) throws Exception {
        return cluster.send("node2", "POST", "/switchover", body);
    }

    private static void assertResponse(HttpResponse<String> r, int code, String... says) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        for (String s : says) {
            assertThat(r.body()).contains(s);
        }
    }

    private void awaitCode(String node, String path, int code) {
        Await.until(node + " answers " + code + " on " + path, Duration.ofSeconds(30),
                () -> cluster.code(node, "GET", path) == code);
    }

    private String host(String node) {
        return cluster.restHost(node);
    }

    private int streamingReplicas(String primary) {
        return cluster.query(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
                .map(Integer::parseInt).orElse(0);
    }

    private record CliResult(int code, String out, String err) {
    }

    private static CliResult cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = PghaCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** Inserts a row every ~20 ms through node3's proxy RW port, recording each acknowledged commit. */
    /** A client opening a new RW connection through one proxy every 20 ms; each must land on a primary. */
    private final class ConnectLoop implements Runnable {
        final AtomicInteger landed = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        volatile long slowestMillis;
        private final PghaConfig via;

        ConnectLoop(PghaConfig via) {
            this.via = via;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                Instant start = Instant.now();
                try (Connection c = cluster.connect(via.proxy().listen(), via.proxy().rwPort(), Duration.ofSeconds(30));
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        failures.add(start + ": landed on a node in recovery");
                    } else {
                        landed.incrementAndGet();
                    }
                } catch (SQLException e) {
                    failures.add(start + ": " + e.getMessage());
                }
                slowestMillis = Math.max(slowestMillis, Duration.between(start, Instant.now()).toMillis());
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
    }

    private final class Writer implements Runnable {
        final Queue<Long> acked = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        volatile long longestGapMillis;
        volatile int errors;
        private final PghaConfig via;

        Writer(PghaConfig via) {
            this.via = via;
        }

        @Override
        public void run() {
            long next = 1;
            Instant lastAck = null;
            Connection c = null;
            while (!stop.get()) {
                try {
                    if (c == null) {
                        c = cluster.connect(via.proxy().listen(), via.proxy().rwPort(), Duration.ofSeconds(10));
                    }
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO acked VALUES (?)")) {
                        p.setLong(1, next);
                        p.executeUpdate();
                    }
                    acked.add(next);
                    Instant now = Instant.now();
                    if (lastAck != null) {
                        longestGapMillis = Math.max(longestGapMillis, Duration.between(lastAck, now).toMillis());
                    }
                    lastAck = now;
                } catch (SQLException e) {
                    errors++;
                    closeQuietly(c);
                    c = null;
                }
                next++;
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            closeQuietly(c);
        }

        private void closeQuietly(Connection c) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException e) {
                // already broken
            }
        }
    }
}
