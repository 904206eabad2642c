package io.pgha.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter values against pg_settings rows as Postgres 15 reports them. */
class ParameterCheckTest {
    private static final Map<String, ParameterCheck.Spec> PG = Map.of(
            "work_mem", new ParameterCheck.Spec("work_mem", "integer", "kB", "64", "2147483647", List.of(), "user"),
            "shared_buffers", new ParameterCheck.Spec("shared_buffers", "integer", "8kB", "16", "1073741823",
                    List.of(), "postmaster"),
            "max_connections", new ParameterCheck.Spec("max_connections", "integer", "", "1", "262143", List.of(),
                    "postmaster"),
            "statement_timeout", new ParameterCheck.Spec("statement_timeout", "integer", "ms", "0", "2147483647",
                    List.of(), "user"),
            "jit", new ParameterCheck.Spec("jit", "bool", "", "", "", List.of(), "user"),
            "log_min_messages", new ParameterCheck.Spec("log_min_messages", "enum", "", "", "",
                    List.of("debug1", "info", "warning", "error"), "superuser"),
            "random_page_cost", new ParameterCheck.Spec("random_page_cost", "real", "", "0", "1.79769e+308",
                    List.of(), "user"),
            "application_name", new ParameterCheck.Spec("application_name", "string", "", "", "", List.of(), "user"));

    @Test
    void valuesPostgresAcceptsPass() {
        assertThat(ParameterCheck.problems(Map.of("work_mem", "8MB", "shared_buffers", "128MB",
                "max_connections", "200", "statement_timeout", "30s", "jit", "off", "log_min_messages", "WARNING",
                "random_page_cost", "1.1", "application_name", "x y", "pgha.custom", "1"), PG)).isEmpty();
        assertThat(ParameterCheck.problems(Map.of("work_mem", "65536", "statement_timeout", "5min"), PG)).isEmpty();
    }

    @Test
    void badValuesSayWhatWasFoundAndWhatIsExpected() {
        assertThat(ParameterCheck.problems(Map.of("work_mem", "banana"), PG)).containsExactly(
                "postgres.parameters.work_mem: found 'banana', expected an integer with an optional unit B, kB, MB,"
                        + " GB or TB between 64 and 2147483647 kB");
        assertThat(ParameterCheck.problems(Map.of("work_mem", "8 parsecs"), PG)).hasSize(1);
        assertThat(ParameterCheck.problems(Map.of("work_mem", "1kB"), PG)).hasSize(1);
        assertThat(ParameterCheck.problems(Map.of("max_connections", "1.5"), PG)).hasSize(1);
        assertThat(ParameterCheck.problems(Map.of("statement_timeout", "10MB"), PG)).hasSize(1);
        assertThat(ParameterCheck.problems(Map.of("jit", "maybe"), PG)).containsExactly(
                "postgres.parameters.jit: found 'maybe', expected on or off");
        assertThat(ParameterCheck.problems(Map.of("log_min_messages", "loud"), PG)).containsExactly(
                "postgres.parameters.log_min_messages: found 'loud', expected one of debug1, info, warning, error");
    }

    @Test
    void anUnknownParameterIsRefusedWithTheNearestName() {
        assertThat(ParameterCheck.problems(Map.of("work_mme", "8MB"), PG)).containsExactly(
                "postgres.parameters.work_mme: unknown parameter 'work_mme' (not in pg_settings), did you mean"
                        + " 'work_mem'?");
    }

    @Test
    void restartParametersAreThePostmasterOnes() {
        assertThat(PG.get("max_connections").needsRestart()).isTrue();
        assertThat(PG.get("work_mem").needsRestart()).isFalse();
    }
}
