package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.FakeEnvironment;
import io.pgha.core.config.PghaConfig;
import io.pgha.core.postgres.PostgresSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Mapping the configuration onto the parts: passwords derived from the token, refusals before start. */
class AgentSettingsTest {
    private static PghaConfig config(String name, String extra, FakeEnvironment env) throws Exception {
        return ConfigLoader.parse("/etc/pgha/pgha.yml", "node:\n  name: " + name + "\n  address: 10.0.0.1\n"
                + "  data_dir: /var/lib/pgha\n" + extra, env);
    }

    @Test
    void passwordsNotInTheFileAreDerivedFromTheTokenAndAgreeOnEveryNode() throws Exception {
        FakeEnvironment env = new FakeEnvironment().withVariable("PGHA_CLUSTER_TOKEN", "token-1");
        PostgresSettings a = new AgentSettings(config("db1", "", env)).postgresSettings();
        PostgresSettings b = new AgentSettings(config("db2", "", env)).postgresSettings();
        assertThat(a.superuserPassword().value()).isEqualTo(b.superuserPassword().value()).hasSize(64);
        assertThat(a.replicationPassword().value()).isEqualTo(b.replicationPassword().value())
                .isNotEqualTo(a.superuserPassword().value());
        PostgresSettings other = new AgentSettings(config("db1", "",
                new FakeEnvironment().withVariable("PGHA_CLUSTER_TOKEN", "token-2"))).postgresSettings();
        assertThat(other.superuserPassword().value()).isNotEqualTo(a.superuserPassword().value());
    }

    @Test
    void withoutPasswordsAndWithoutATokenTheAgentRefusesToStart() throws Exception {
        AgentSettings s = new AgentSettings(config("db1", "", new FakeEnvironment()));
        assertThat(s.problems()).singleElement().asString().contains("cluster token");
    }

    @Test
    void replicationIsAllowedFromTheOwnSubnetsSoLaterMembersNeedNoHbaChange() throws Exception {
        AgentSettings s = new AgentSettings(config("db1", "", new FakeEnvironment()
                .withVariable("PGHA_CLUSTER_TOKEN", "t")));
        assertThat(s.postgresSettings().memberAddresses()).contains("10.0.0.1", "samenet");
        assertThat(s.lockFile()).isEqualTo(Path.of("/var/lib/pgha/pgha.lock"));
        assertThat(s.storeConfig(true).initialPeers()).hasSize(1);
        assertThat(s.storeConfig(false).initialPeers()).isEmpty();
    }
}
