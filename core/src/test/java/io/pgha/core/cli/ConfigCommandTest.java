package io.pgha.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.config.FakeEnvironment;
import org.junit.jupiter.api.Test;

/** {@code pgha config check|show} and the configuration check of {@code pgha run}, through the real command line. */
class ConfigCommandTest {
    private static final String GOOD = "cluster:\n  name: orders\npostgres:\n  replication:\n"
            + "    password_file: /etc/pgha/repl.pw\n";
    private static final String BAD = "ha:\n  loop_wiat: 1s\n  ttl: 1s\nproxy:\n  rw_port: 5442\n";

    private final FakeEnvironment env = new FakeEnvironment()
            .withFile("/srv/good.yml", GOOD)
            .withFile("/srv/bad.yml", BAD)
            .withFile("/etc/pgha/repl.pw", "repl-secret\n");

    @Test
    void checkOfAGoodFileExitsZero() {
        CliRun run = CliRun.of(env, "config", "check", "/srv/good.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("/srv/good.yml: configuration is valid" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkOfABadFilePrintsEveryErrorAndExitsTwo() {
        CliRun run = CliRun.of(env, "config", "check", "/srv/bad.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "/srv/bad.yml:2:3: ha.loop_wiat: unknown key 'loop_wiat', did you mean 'loop_wait'?",
                "/srv/bad.yml:3:8: ha.ttl: found 1s, expected at least 2s",
                "/srv/bad.yml:3:8: ha.ttl: found 1s, expected at least ha.loop_wait + 2 * ha.retry_timeout = 2500ms",
                "/srv/bad.yml:3:8: ha.safety_margin: found 2s, expected less than ha.ttl (1s)",
                "/srv/bad.yml:5:12: proxy.rw_port: found 5442, expected a port other than postgres.port (5442)"
                        + " on the same address");
    }

    @Test
    void checkWithoutFileUsesTheEnvironmentThenTheFlag() {
        env.withVariable("PGHA_CONFIG", "/srv/bad.yml");
        assertThat(CliRun.of(env, "config", "check").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliRun flagged = CliRun.of(env, "--config", "/srv/good.yml", "config", "check");
        assertThat(flagged.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(flagged.out()).startsWith("/srv/good.yml: ");
    }

    @Test
    void checkWithoutAnythingReadsTheDefaultPath() {
        CliRun run = CliRun.of(env, "config", "check");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly(
                "/etc/pgha/pgha.yml:1:1: <file>: found no such file, expected a readable YAML file");
    }

    @Test
    void showPrintsTheFileAsWrittenWithInlineSecretsMasked() {
        env.withFile("/srv/inline.yml", "postgres:\n  superuser:\n    password: hunter2\n");
        CliRun run = CliRun.of(env, "config", "show", "/srv/inline.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("postgres:\n  superuser:\n    password: '********'\n");
    }

    @Test
    void showEffectiveFillsInDefaultsAndNeverPrintsSecrets() {
        CliRun run = CliRun.of(env, "config", "show", "--effective", "/srv/good.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("name: orders", "ttl: 5s", "loop_wait: 500ms", "rw_port: 5432",
                "password_file: /etc/pgha/repl.pw", "stanza: orders").doesNotContain("repl-secret");
    }

    @Test
    void showEffectiveOfABadFileFailsWithTheErrors() {
        CliRun run = CliRun.of(env, "config", "show", "--effective", "/srv/bad.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).hasSize(5);
    }

    @Test
    void configWithoutSubcommandShowsUsage() {
        CliRun run = CliRun.of(env, "config");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Usage: pgha config", "check", "show");
    }

    @Test
    void runRejectsABadConfigurationBeforeStartingAnything() {
        CliRun run = CliRun.of(env, "run", "--config", "/srv/bad.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).hasSize(5).allMatch(line -> line.startsWith("/srv/bad.yml:"));
        assertThat(CliRun.of(env, "-c", "/srv/bad.yml").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void runRefusesAConfigurationWithoutSuperuserPasswordOrTokenBeforeStartingAnything() {
        CliRun run = CliRun.of(env, "-c", "/srv/good.yml", "run");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("postgres.superuser.password_file", "cluster token");
    }

    @Test
    void runRejectsAMalformedJoinTarget() {
        CliRun run = CliRun.of(env, "--join", "db 1", "-c", "/srv/good.yml");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("pgha: --join: found 'db 1', expected HOST[:PORT]" + System.lineSeparator());
    }
}
