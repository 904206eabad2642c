package io.pgha.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored cluster-wide document: seed, --set, merge patch, the file's validation, and the diff. */
class DynamicConfigTest {
    private static ObjectNode seed() throws ConfigException {
        PghaConfig c = ConfigLoader.parse("t.yml", "postgres:\n  parameters:\n    work_mem: 4MB\n",
                new FakeEnvironment());
        return DynamicConfig.seed(c);
    }

    @Test
    void theSeedHoldsTheFilesDynamicKeysAndIsValid() throws ConfigException {
        ObjectNode doc = seed();
        assertThat(DynamicConfig.parameters(doc)).containsEntry("work_mem", "4MB");
        assertThat(doc.path("ha").path("ttl").asText()).isEqualTo("5s");
        assertThat(doc.path("backup").path("schedule").path("full").asText()).isEqualTo("0 1 * * 0");
        assertThat(DynamicConfig.problems(doc)).isEmpty();
    }

    @Test
    void setAcceptsPatronisSpellingAndNullRemovesAKeyWhenMerged() throws ConfigException {
        ObjectNode doc = seed();
        ObjectNode patch = DynamicConfig.set(DynamicConfig.parse("{}"), "postgresql.parameters.work_mem=8MB");
        patch = DynamicConfig.set(patch, "postgres.parameters.max_connections=200");
        ObjectNode after = DynamicConfig.merge(doc, patch);
        assertThat(DynamicConfig.parameters(after)).containsEntry("work_mem", "8MB")
                .containsEntry("max_connections", "200");
        ObjectNode removal = DynamicConfig.set(DynamicConfig.parse("{}"), "postgres.parameters.work_mem=null");
        assertThat(removal.path("postgres").path("parameters").get("work_mem").isNull()).isTrue();
        assertThat(DynamicConfig.parameters(DynamicConfig.merge(after, removal))).doesNotContainKey("work_mem");
        assertThat(DynamicConfig.diff(doc, after)).containsExactly("+postgres.parameters.max_connections: 200",
                "-postgres.parameters.work_mem: 4MB", "+postgres.parameters.work_mem: 8MB");
    }

    @Test
    void aSetWithoutValueOrWithAnEmptyKeyIsRefused() {
        assertThatThrownBy(() -> DynamicConfig.set(DynamicConfig.parse("{}"), "work_mem"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected PATH=VALUE");
        assertThatThrownBy(() -> DynamicConfig.set(DynamicConfig.parse("{}"), "postgres..x=1"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dot-separated keys");
    }

    @Test
    void theFilesRulesApplyToTheStoredDocument() throws ConfigException {
        ObjectNode bad = DynamicConfig.merge(seed(), DynamicConfig.parse(
                "{ha: {ttl: 2s, loop_wiat: 1s, synchronous_mode: sometimes}}"));
        List<String> problems = DynamicConfig.problems(bad);
        assertThat(problems).anyMatch(p -> p.startsWith("ha.loop_wiat: unknown key 'loop_wiat', did you mean"
                + " 'loop_wait'?"));
        assertThat(problems).anyMatch(p -> p.startsWith("ha.synchronous_mode: found 'sometimes', expected one of"));
        assertThat(problems).anyMatch(p -> p.startsWith("ha.ttl: found 2s, expected at least"));
    }

    @Test
    void perNodeKeysAndSectionsAreRefusedWithWhereToSetThem() throws ConfigException {
        ObjectNode bad = DynamicConfig.merge(seed(), DynamicConfig.parse(
                "{node: {name: x}, postgres: {port: 6000}, ha: {tags: {nofailover: true}}}"));
        assertThat(DynamicConfig.problems(bad)).containsExactly(
                "node: found a per-node section, expected only postgres.parameters, ha timings and backup.schedule"
                        + " (set node in each node's pgha.yml)",
                "postgres.port: found a per-node key, expected only postgres.parameters here (set postgres.port in"
                        + " each node's pgha.yml)",
                "ha.tags: found a per-node key, expected only ha.loop_wait, ha.maximum_lag_on_failover,"
                        + " ha.primary_start_timeout, ha.reclone_on_rewind_failure, ha.retry_timeout,"
                        + " ha.safety_margin, ha.synchronous_mode, ha.synchronous_node_count, ha.ttl,"
                        + " ha.use_pg_rewind here (set ha.tags in each node's pgha.yml)");
    }

    @Test
    void managedParametersAndBadSchedulesAreRefusedAsInTheFile() throws ConfigException {
        ObjectNode bad = DynamicConfig.merge(seed(), DynamicConfig.parse(
                "{postgres: {parameters: {port: 1}}, backup: {schedule: {full: 'every day'}}}"));
        List<String> problems = DynamicConfig.problems(bad);
        assertThat(problems).anyMatch(p -> p.equals("postgres.parameters.port: found a parameter pgha sets itself,"
                + " expected postgres.port instead"));
        assertThat(problems).anyMatch(p -> p.startsWith("backup.schedule.full: found"));
    }

    @Test
    void aDocumentThatIsNotAMappingIsRefused() {
        assertThatThrownBy(() -> DynamicConfig.parse("[1, 2]")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a mapping of sections");
        assertThatThrownBy(() -> DynamicConfig.parse("{a: [")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not YAML or JSON");
    }
}
