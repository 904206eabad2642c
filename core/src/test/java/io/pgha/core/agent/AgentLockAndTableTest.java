package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory lock and the {@code pgha list} table. */
class AgentLockAndTableTest {
    @TempDir
    Path dir;

    @Test
    void aSecondLockOnTheSameDataDirectoryIsRefusedWithTheHoldersPid() throws Exception {
        Path file = dir.resolve("pgha.lock");
        try (DataDirLock first = DataDirLock.acquire(file)) {
            assertThat(DataDirLock.readPid(file)).contains(ProcessHandle.current().pid());
            assertThatThrownBy(() -> DataDirLock.acquire(file)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("another pgha agent (pid " + ProcessHandle.current().pid() + ") already runs on "
                            + dir + " (lock " + file + ")");
        }
        try (DataDirLock again = DataDirLock.acquire(file)) {
            assertThat(Files.exists(file)).isTrue();
        }
    }

    @Test
    void theTableShowsEveryMemberWithRoleStateTimelineAndLagInMegabytes() throws Exception {
        String json = "{\"scope\":\"demo\",\"members\":["
                + "{\"name\":\"node1\",\"role\":\"leader\",\"state\":\"running\",\"host\":\"127.0.0.11\","
                + "\"port\":5442,\"timeline\":1},"
                + "{\"name\":\"node2\",\"role\":\"replica\",\"state\":\"streaming\",\"host\":\"127.0.0.12\","
                + "\"port\":5442,\"timeline\":1,\"lag\":3145728}]}";
        String table = ClusterTable.render(new ObjectMapper().readTree(json));
        assertThat(table.lines()).hasSize(6);
        assertThat(table.lines().toList().get(0)).startsWith("+ Cluster: demo -");
        assertThat(table).contains(
                "| Member | Host            | Role    | State     | TL | Lag in MB | Pending restart |",
                "| node1  | 127.0.0.11:5442 | Leader  | running   | 1  |           |                 |",
                "| node2  | 127.0.0.12:5442 | Replica | streaming | 1  | 3         |                 |");
    }

    @Test
    void aClusterIsFormedWithOneLeaderAndTheStreamingReplicas() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String leader = "{\"role\":\"leader\",\"state\":\"running\"}";
        String streaming = "{\"role\":\"replica\",\"state\":\"streaming\"}";
        String starting = "{\"role\":\"unknown\",\"state\":\"starting\"}";
        assertThat(RestClient.formed(json.readTree("{\"members\":[" + leader + "," + streaming + "," + streaming
                + "]}"), 2)).isTrue();
        assertThat(RestClient.formed(json.readTree("{\"members\":[" + leader + "," + streaming + "," + starting
                + "]}"), 2)).isFalse();
    }
}
