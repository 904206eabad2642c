package io.pgha.core.agent;

import static io.pgha.core.agent.ProcessCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private ProcessCluster cluster;

    @BeforeAll
    void startThreeNodes() throws IOException {
        Map<String, String> nodes = new LinkedHashMap<>();
        nodes.put("node1", "127.0.0.71");
        nodes.put("node2", "127.0.0.72");
        nodes.put("node3", "127.0.0.73");
        cluster = new ProcessCluster("pgha-syncit-", nodes, "  synchronous_mode: \"on\"\n"
                + "  synchronous_node_count: 1\n");
        cluster.start("node1", Optional.empty());
        cluster.start("node2", Optional.of("node1"));
        cluster.start("node3", Optional.of("node1"));
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
        assertThat(cluster.query("node1", "SHOW synchronous_standby_names")).isEqualTo("FIRST 1 (\"" + sync + "\")");
        assertThat(cluster.query("node1", "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                + sync + "'")).isEqualTo("sync");

        try (AckedWriter writer = new AckedWriter(cluster, List.of("node1", "node2", "node3"))) {
            writer.start("node1");
            await("200 acknowledged commits", FAILOVER, () -> writer.ackedCount() >= 200);
            long killedAt = System.nanoTime();
            cluster.kill("node1");
            int ackedBefore = writer.ackedCount();
            await("a new primary", FAILOVER, () -> cluster.primary(List.of("node2", "node3")).isPresent());
            System.out.printf("sync mode: SIGKILL of the primary -> new primary answers /primary: %.1f s%n",
                    (System.nanoTime() - killedAt) / 1e9);
            assertThat(cluster.primary(List.of("node2", "node3"))).as("only the synchronous standby may be promoted")
                    .contains(sync);
            await("writes acknowledged by the new primary", FAILOVER, () -> writer.ackedCount() >= ackedBefore + 100);
            writer.close();
            assertThat(writer.missingOn(sync)).as("acknowledged commits missing on the new primary").isEmpty();
            System.out.printf("sync mode: %d acknowledged commits, none lost%n", writer.ackedCount());
        }

        await(other + " streaming from " + sync + " and listed as its synchronous standby", FAILOVER,
                () -> syncStandbys(sync, sync).equals(List.of(other)));
        assertThat(cluster.query(sync, "SHOW synchronous_standby_names")).isEqualTo("FIRST 1 (\"" + other + "\")");
        assertThat(cluster.query(sync, "SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                + other + "'")).isEqualTo("sync");
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
