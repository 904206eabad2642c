package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.core.testing.AckedWriter;
import io.pgha.core.testing.AgentCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two data nodes and a witness (ARCHITECTURE.md rule 6), as separate processes with real Postgres 15 and the real
 * store, in synchronous mode {@code on}: without the witness the cluster warns; with it, losing the replica data
 * node leaves the primary accepting writes (asynchronously), and losing the primary data node promotes the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessIT {
    private static final Duration FORM = Duration.ofMinutes(5);
    private static final Duration FAILOVER = Duration.ofMinutes(3);
    private static final List<String> DATA = List.of("node1", "node2");
    private AgentCluster cluster;

    @BeforeAll
    void startTwoDataNodes() throws IOException {
        cluster = AgentCluster.builder("witnessit", List.of("127.0.0.74", "127.0.0.75", "127.0.0.76"))
                .names(List.of("node1", "node2", "witness")).extraHa("  synchronous_mode: \"on\"\n").build();
        cluster.start("node1");
        cluster.start("node2");
    }

    @AfterAll
    void stopEverything() throws IOException {
        cluster.close();
    }

    @Test
    @Order(1)
    void twoDataNodesWithoutAWitnessSayThatFailoverNeedsOne() throws Exception {
        await("node1 primary with node2 as its synchronous standby", FORM,
                () -> cluster("node1").path("sync_standbys").toString().equals("[\"node2\"]"));
        await("pgha list shows the warning", FORM, () -> cluster("node1").path("warnings").toString()
                .contains("automatic failover needs a witness"));
        String table = ClusterTable.render(cluster("node1"));
        assertThat(table).contains("WARNING: automatic failover needs a witness: the store has two voters (node1, "
                + "node2)");
        await("the agents log the warning", FORM, () -> logContains("node2", "automatic failover needs a witness"));
    }

    @Test
    @Order(2)
    void aWitnessJoinsAsAStoreOnlyVoter() throws Exception {
        cluster.startWitness("witness");
        await("the witness answers /health", FORM, () -> cluster.get("witness", "/health") == 200);
        await("pgha list names the witness and drops the warning", FORM, () -> {
            JsonNode c = cluster("node1");
            return c.path("witnesses").toString().equals("[\"witness\"]") && c.path("warnings").isEmpty();
        });
        assertThat(ClusterTable.render(cluster("node2"))).contains("Witness: witness (store-only voter)")
                .doesNotContain("WARNING");
        assertThat(members("node1")).containsExactly("node1", "node2");
        assertThat(Files.exists(cluster.logFile("witness"))).isTrue();
        assertThat(cluster.postmasterPid("witness")).isEmpty();
    }

    @Test
    @Order(3)
    void losingTheReplicaDataNodeLeavesThePrimaryWritingAsynchronously() throws Exception {
        cluster.kill("node2");
        try (Connection c = cluster.connect("node1", Duration.ofMinutes(2)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS w (v text)");
            s.execute("INSERT INTO w VALUES ('after node2 died')");
        }
        await("synchronous_standby_names falls back to empty", FAILOVER,
                () -> "".equals(cluster.query("node1", "SHOW synchronous_standby_names").orElse(null)));
        assertThat(cluster.get("node1", "/primary")).as("node1 stays primary").isEqualTo(200);
        // Each agent answers /cluster from its last cycle's store read, which may trail the key it just wrote.
        await("the sync key empty", FAILOVER, () -> cluster("node1").path("sync_standbys").isEmpty());
    }

    @Test
    @Order(4)
    void theReplicaRejoinsAndBecomesSynchronousAgain() throws Exception {
        cluster.start("node2");
        // node1 lists only a running replica: node2's first member records after its start say otherwise, so a sync
        // key seen before node2 reports itself a replica may still be emptied once.
        await("node2 answers /replica 200", FORM, () -> cluster.get("node2", "/replica") == 200);
        await("node2 back as node1's synchronous standby", FORM,
                () -> cluster.query("node1", "SHOW synchronous_standby_names").orElse("").equals("FIRST 1 (\"node2\")")
                        && cluster("node1").path("sync_standbys").toString().equals("[\"node2\"]"));
        await("node2 has the row written while it was down", FORM,
                () -> "after node2 died".equals(cluster.query("node2", "SELECT v FROM w").orElse(null)));
    }

    @Test
    @Order(5)
    void losingThePrimaryDataNodePromotesTheOther() throws Exception {
        try (AckedWriter writer = AckedWriter.start(cluster, "node1", DATA)) {
            await("100 acknowledged commits", FAILOVER, () -> writer.count() >= 100);
            // Only a synchronous standby may be promoted: node2 must be one at the kill.
            await("node2 node1's synchronous standby under the writer", FAILOVER,
                    () -> cluster("node1").path("sync_standbys").toString().equals("[\"node2\"]"));
            long killedAt = System.nanoTime();
            cluster.kill("node1");
            int ackedBefore = writer.count();
            await("node2 primary", FAILOVER, () -> cluster.get("node2", "/primary") == 200);
            System.out.printf("witness: SIGKILL of the primary data node -> node2 answers /primary: %.1f s%n",
                    (System.nanoTime() - killedAt) / 1e9);
            await("writes acknowledged by node2", FAILOVER, () -> writer.count() >= ackedBefore + 50);
            writer.close();
            assertThat(writer.lostOn("node2")).as("acknowledged commits missing on node2").isEmpty();
        }
        assertThat(cluster.get("witness", "/health")).isEqualTo(200);
    }

    private JsonNode cluster(String node) {
        return cluster.body(node, "/cluster").map(SyncModeIT::parse).orElse(SyncModeIT.parse("{}"));
    }

    private List<String> members(String node) {
        List<String> out = new ArrayList<>();
        cluster(node).path("members").forEach(m -> out.add(m.path("name").asText()));
        return out;
    }

    private boolean logContains(String node, String text) {
        return cluster.log(node).contains(text);
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        cluster.await(what, timeout, condition);
    }
}
