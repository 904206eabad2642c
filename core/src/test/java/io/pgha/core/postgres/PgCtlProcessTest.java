package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg_ctl and initdb as the process port drives them, against a fake runner. */
class PgCtlProcessTest {
    @TempDir
    Path dir;

    private PostgresSettings settings() {
        return new PostgresSettings(Optional.empty(), dir.resolve("data"), "127.0.0.11", 5442, dir,
                System.getProperty("user.name"), "postgres", new PostgresSettings.Secret("superpw"), "replicator",
                new PostgresSettings.Secret("replpw"), dir.resolve("pgpass"), List.of(), Map.of());
    }

    private PgCtlProcess process(FakeCommandRunner runner) {
        return new PgCtlProcess(settings(), new PostgresBinaries(Path.of("/pg/bin"), 15), runner);
    }

    @Test
    void stateComesFromPgCtlStatusAndPostmasterPid() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        int[] exit = {3};
        PgCtlProcess p = process(new FakeCommandRunner(cmd -> new CommandResult(exit[0], "")));
        assertThat(p.state()).isEqualTo(PostgresState.STOPPED);
        Files.writeString(data.resolve("postmaster.pid"), "1\n/d\n0\n5442\n/s\n127.0.0.11\n0 0\nstarting\n");
        assertThat(p.state()).as("stale pid file").isEqualTo(PostgresState.CRASHED);
        exit[0] = 0;
        assertThat(p.state()).isEqualTo(PostgresState.STARTING);
        Files.writeString(data.resolve("postmaster.pid"), "1\n/d\n0\n5442\n/s\n127.0.0.11\n0 0\nready   \n");
        assertThat(p.state()).isEqualTo(PostgresState.RUNNING);
        Files.writeString(data.resolve("postmaster.pid"), "1\n/d\n0\n5442\n/s\n127.0.0.11\n0 0\nstandby \n");
        assertThat(p.state()).isEqualTo(PostgresState.RUNNING);
    }

    @Test
    void initdbTurnsOnChecksumsAndPassesThePasswordInAFileThatIsRemovedAfterwards() {
        FakeCommandRunner runner = new FakeCommandRunner(cmd -> {
            String pwfile = cmd.argv().stream().filter(a -> a.startsWith("--pwfile=")).findFirst().orElseThrow();
            assertThat(Path.of(pwfile.substring("--pwfile=".length()))).content().isEqualTo("superpw\n");
            return new CommandResult(0, "ok");
        });
        process(runner).initdb();
        Command cmd = runner.commands.get(0);
        assertThat(cmd.argv()).startsWith("/pg/bin/initdb").contains("--data-checksums", "--auth-local=peer",
                "--auth-host=scram-sha-256").noneMatch(a -> a.contains("superpw"));
        assertThat(cmd.runAs()).contains(System.getProperty("user.name"));
        assertThat(dir.resolve(".data.initdb-pw")).doesNotExist();
    }

    @Test
    void aFailedStartShowsTheServerLogAndStoppingAStoppedServerIsANoop() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Files.writeString(dir.resolve("data.log"), "FATAL:  could not bind IPv4 address\n");
        FakeCommandRunner runner = new FakeCommandRunner(cmd -> new CommandResult(
                cmd.argv().contains("status") ? 3 : 1, "pg_ctl: could not start server"));
        PgCtlProcess p = process(runner);
        assertThatThrownBy(() -> p.start(Duration.ofSeconds(5))).isInstanceOf(PostgresException.class)
                .hasMessageContaining("could not bind IPv4 address");
        p.stop(ShutdownMode.IMMEDIATE, Duration.ofSeconds(5));
        assertThat(runner.commands).noneMatch(c -> c.argv().contains("stop"));
    }

    @Test
    void stopPassesTheShutdownMode() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        Files.writeString(data.resolve("postmaster.pid"), "1\n/d\n0\n5442\n/s\n127.0.0.11\n0 0\nready   \n");
        FakeCommandRunner runner = new FakeCommandRunner(cmd -> new CommandResult(0, ""));
        process(runner).stop(ShutdownMode.IMMEDIATE, Duration.ofSeconds(5));
        assertThat(runner.commands).anySatisfy(c -> assertThat(c.argv()).contains("stop", "-m", "immediate"));
    }
}
