package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.core.testing.AckedWriter;
import io.pgha.core.testing.AgentCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Synchronous mode {@code on} with three agent processes, real Postgres 15 and the real store: the primary lists one
 * standby in synchronous_standby_names and the sync key; after a SIGKILL of the primary node (agent and postmaster)
 * the synchronous standby, and only it, is promoted with every acknowledged commit, and the sync key and
 * synchronous_standby_names follow the new topology.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncModeIT {
    private static final Duration FORM = Duration.ofMinutes(5);
    private static final Duration FAILOVER = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private AgentCluster cluster;

    @BeforeAll
    void startThreeNodes() throws IOException {
        cluster = AgentCluster.builder("syncit", List.of("127.0.0.71", "127.0.0.72", "127.0.0.73"))
                .extraHa("  synchronous_mode: \"on\"\n  synchronous_node_count: 1\n").build();
        cluster.form(FORM);
    }

    @AfterAll
    void stopEverything() throws IOException {
        cluster.close();
    }

    @Test
    void aKilledPrimaryIsReplacedByItsSynchronousStandbyWithEveryAcknowledgedCommit() throws Exception {
        await("node1 primary with a synchronous standby in the sync key", FORM,
                () -> syncStandbys("node1", "node1").size() == 1);
        String sync = syncStandbys("node1", "node1").get(0);
        String other = sync.equals("node2") ? "node3" : "node2";
        assertThat(cluster.query("node1", "SHOW synchronous_standby_names")).contains("FIRST 1 (\"" + sync + "\")");
        assertThat(cluster.query("node1", "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                + sync + "'")).contains("sync");

        try (AckedWriter writer = AckedWriter.start(cluster, "node1")) {
            await("200 acknowledged commits", FAILOVER, () -> writer.count() >= 200);
            long killedAt = System.nanoTime();
            cluster.kill("node1");
            int ackedBefore = writer.count();
            await("a new primary", FAILOVER, () -> !cluster.primaries().isEmpty());
            System.out.printf("sync mode: SIGKILL of the primary -> new primary answers /primary: %.1f s%n",
                    (System.nanoTime() - killedAt) / 1e9);
            assertThat(cluster.primaries()).as("only the synchronous standby may be promoted").containsExactly(sync);
            await("writes acknowledged by the new primary", FAILOVER, () -> writer.count() >= ackedBefore + 100);
            writer.close();
            assertThat(writer.lostOn(sync)).as("acknowledged commits missing on the new primary").isEmpty();
            System.out.printf("sync mode: %d acknowledged commits, none lost%n", writer.count());
        }

        await(other + " streaming from " + sync + " and listed as its synchronous standby", FAILOVER,
                () -> syncStandbys(sync, sync).equals(List.of(other)));
        assertThat(cluster.query(sync, "SHOW synchronous_standby_names")).contains("FIRST 1 (\"" + other + "\")");
        assertThat(cluster.query(sync, "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                + other + "'")).contains("sync");
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        cluster.await(what, timeout, condition);
    }

    /** The sync key's standbys as {@code node}'s /cluster shows them, when {@code leader} leads; else empty. */
    private List<String> syncStandbys(String node, String leader) {
        List<String> out = new ArrayList<>();
        cluster.body(node, "/cluster").map(SyncModeIT::parse).filter(c -> c.path("leader").asText().equals(leader))
                .ifPresent(c -> c.path("sync_standbys").forEach(s -> out.add(s.asText())));
        return out;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
