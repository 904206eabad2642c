package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.testing.AgentCluster;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three agent processes with real Postgres 15 and the proxy each agent starts: the RW port of every node reaches the
 * primary, the RO port a replica; after the primary's host crashes (SIGKILL to its agent and postmaster) the sessions
 * that were open to it end at once, and the RW port of each surviving node reaches the new primary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyFailoverIT {
    private static final List<String> ADDRESSES = List.of("127.0.0.111", "127.0.0.112", "127.0.0.113");
    private static final Duration FORM = Duration.ofMinutes(4);
    /** Generous: the demo's ttl is 10 s and the machine is shared; the test checks that it happens, not how fast. */
    private static final Duration FAILOVER = Duration.ofMinutes(2);
    /** The socket timeout of the old sessions: a session still blocked after this long is a hang, not a close. */
    private static final Duration HANG = Duration.ofMinutes(3);
    private AgentCluster cluster;

    @BeforeAll
    void formCluster() throws Exception {
        cluster = AgentCluster.prepare("proxy-failover-it", ADDRESSES, null);
        cluster.form(FORM);
        await("one leader and two streaming replicas", FORM, () -> clusterView(List.of("node1", "node2", "node3"))
                .map(c -> RestClient.formed(c, 2)).orElse(false));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyRwPortReachesThePrimaryAndEveryRoPortAReplica() {
        String leader = leader(List.of("node1", "node2", "node3"));
        for (String node : List.of("node1", "node2", "node3")) {
            await("RW of " + node + " on the primary", Duration.ofSeconds(60),
                    () -> Boolean.FALSE.equals(inRecovery(node, cluster.node(node).ports().rw())));
            await("RO of " + node + " on a replica", Duration.ofSeconds(60),
                    () -> Boolean.TRUE.equals(inRecovery(node, cluster.node(node).ports().ro())));
        }
        assertThat(leader).isIn("node1", "node2", "node3");
    }

    @Test
    @Order(2)
    void aCrashedPrimaryEndsItsSessionsAndRwMovesToTheNewPrimary() throws Exception {
        String old = leader(List.of("node1", "node2", "node3"));
        List<String> survivors = new ArrayList<>(List.of("node1", "node2", "node3"));
        survivors.remove(old);
        // One session through every node's RW port (the old primary's own proxy dies with its agent), each blocked
        // in a long statement on the primary as a client mid-query would be.
        List<CompletableFuture<Void>> sessions = new ArrayList<>();
        for (String node : List.of("node1", "node2", "node3")) {
            Connection c = connect(node, cluster.node(node).ports().rw(), HANG);
            assertThat(inRecovery(c)).as("RW session through %s", node).isFalse();
            sessions.add(CompletableFuture.runAsync(() -> sleepOn(c)));
        }
        await("the three sessions blocked on " + old, Duration.ofSeconds(30), () -> sleepingSessions(old) >= 3);

        long crash = System.nanoTime();
        cluster.kill(old);
        for (int i = 0; i < sessions.size(); i++) {
            String via = List.of("node1", "node2", "node3").get(i);
            Throwable end = sessionEnd(sessions.get(i), via);
            assertThat(end).as("session through %s", via).isInstanceOf(SQLException.class);
            assertThat(end.getMessage()).as("session through %s", via).doesNotContainIgnoringCase("timed out");
        }
        System.out.printf("old sessions ended %.1f s after the crash%n", (System.nanoTime() - crash) / 1e9);

        for (String node : survivors) {
            await("RW of " + node + " on the new primary", FAILOVER,
                    () -> Boolean.FALSE.equals(inRecovery(node, cluster.node(node).ports().rw())));
        }
        System.out.printf("RW of both survivors on a new primary %.1f s after the crash%n",
                (System.nanoTime() - crash) / 1e9);
        assertThat(leader(survivors)).isIn(survivors);
        for (String node : survivors) {
            await("RO of " + node + " on a replica", FAILOVER,
                    () -> Boolean.TRUE.equals(inRecovery(node, cluster.node(node).ports().ro())));
        }
    }

    /** How a blocked session ended: it must end with an error well before its socket timeout. */
    private Throwable sessionEnd(CompletableFuture<Void> session, String via) throws InterruptedException {
        try {
            session.get(FAILOVER.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("the session through " + via + " finished its statement on a crashed primary");
        } catch (TimeoutException e) {
            throw new AssertionError("the session through " + via + " still hangs " + FAILOVER.toSeconds()
                    + " s after the primary crashed");
        } catch (ExecutionException e) {
            return e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
        }
    }

    private static void sleepOn(Connection c) {
        try (c; Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(600)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int sleepingSessions(String node) {
        try (Connection c = cluster.connect(node, Duration.ofSeconds(10));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
                     + " AND state = 'active' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    private String leader(List<String> ask) {
        return clusterView(ask).map(c -> c.path("leader").asText(null))
                .orElseThrow(() -> new AssertionError("no /cluster answer from " + ask));
    }

    private Optional<JsonNode> clusterView(List<String> ask) {
        for (String node : ask) {
            try {
                AgentCluster.Node n = cluster.node(node);
                return Optional.of(new RestClient(n.address(), n.ports().rest()).cluster());
            } catch (IOException e) {
                // this node does not answer (yet, or any more): ask the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** pg_is_in_recovery() through {@code node}'s {@code port}, or null when the connection fails. */
    private Boolean inRecovery(String node, int port) {
        try (Connection c = connect(node, port, Duration.ofSeconds(10))) {
            return inRecovery(c);
        } catch (SQLException e) {
            return null;
        }
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private Connection connect(String node, int port, Duration socketTimeout) throws SQLException {
        return cluster.connect(cluster.node(node).address(), port, socketTimeout);
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        cluster.await(what, timeout, condition);
    }
}
