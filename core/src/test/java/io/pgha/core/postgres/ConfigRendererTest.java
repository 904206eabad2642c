package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigRendererTest {
    static final PostgresSettings SETTINGS = new PostgresSettings(Optional.empty(), Path.of("/var/lib/pgha/data"),
            "10.0.0.1", 5442, Path.of("/run/pgha"), "postgres", "postgres", new PostgresSettings.Secret("s3cret"),
            "replicator", new PostgresSettings.Secret("r3pl'pw"), Path.of("/var/lib/pgha/pgpass"),
            List.of("10.0.0.1", "10.0.0.2", "fd00::3", "node4.example"),
            Map.of("work_mem", "8MB", "port", "1", "application_name", "it's"));

    @Test
    void postgresqlConfCarriesTheReplicationEssentialsAndUserParameters() {
        String conf = ConfigRenderer.postgresqlConf(SETTINGS, "node-1", Optional.empty());
        assertThat(conf).contains("listen_addresses = '10.0.0.1'\n", "port = 5442\n",
                "unix_socket_directories = '/run/pgha'\n", "wal_level = replica\n", "hot_standby = on\n",
                "wal_log_hints = on\n", "max_wal_senders = 10\n", "max_replication_slots = 10\n",
                "wal_retrieve_retry_interval = '500ms'\n",
                "password_encryption = 'scram-sha-256'\n", "work_mem = '8MB'\n", "application_name = 'it''s'\n");
        assertThat(conf).doesNotContain("port = 1\n").doesNotContain("primary_conninfo");
    }

    @Test
    void aStandbyFollowsItsUpstreamThroughTheSlotWithoutAPasswordInTheFile() {
        String conf = ConfigRenderer.postgresqlConf(SETTINGS, "node-2",
                Optional.of(new Upstream("10.0.0.1", 5442, Optional.of("node_2"))));
        assertThat(conf).contains("primary_conninfo = 'host=10.0.0.1 port=5442 user=replicator"
                + " passfile=/var/lib/pgha/pgpass application_name=node-2 sslmode=prefer'\n",
                "primary_slot_name = node_2\n", "recovery_target_timeline = latest\n");
        assertThat(conf).doesNotContain("r3pl").doesNotContain("s3cret");
    }

    @Test
    void replicationIsAllowedOnlyFromMemberAddresses() {
        String hba = ConfigRenderer.pgHba(SETTINGS);
        List<String> replication = hba.lines().filter(l -> l.contains("replication")).toList();
        assertThat(replication).hasSize(5);
        assertThat(replication.stream().filter(l -> l.startsWith("host"))).hasSize(4)
                .allMatch(l -> l.contains("replicator") && l.endsWith("scram-sha-256"))
                .anyMatch(l -> l.contains("10.0.0.2/32")).anyMatch(l -> l.contains("fd00::3/128"))
                .anyMatch(l -> l.contains("node4.example "));
        assertThat(hba).contains("local   all          postgres").doesNotContain("trust")
                .doesNotContain("0.0.0.0/0");
        assertThat(hba.lines().filter(l -> l.startsWith("host    all"))).singleElement()
                .satisfies(l -> assertThat(l).endsWith("scram-sha-256"));
    }

    @Test
    void conninfoValuesWithSpacesOrQuotesAreQuoted() {
        assertThat(ConfigRenderer.conninfoValue("/path with space")).isEqualTo("'/path with space'");
        assertThat(ConfigRenderer.conninfoValue("o'neil")).isEqualTo("'o\\'neil'");
        assertThat(ConfigRenderer.conninfoValue("host-1.local")).isEqualTo("host-1.local");
    }
}
