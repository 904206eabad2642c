package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clone and rewind against a fake runner: arguments, secrets, progress, written files. */
class ReplicaTest {
    @TempDir
    Path dir;

    private PostgresSettings settings() {
        String me = System.getProperty("user.name");
        return new PostgresSettings(Optional.empty(), dir.resolve("data"), "127.0.0.12", 5442, dir, me, "postgres",
                new PostgresSettings.Secret("superpw"), "replicator", new PostgresSettings.Secret("replpw"),
                dir.resolve("pgpass"), List.of("127.0.0.11"), Map.of());
    }

    @Test
    void cloneRunsPgBasebackupWithSlotAndProgressAndKeepsSecretsOffTheCommandLine() throws IOException {
        PostgresSettings s = settings();
        FakeCommandRunner runner = new FakeCommandRunner(cmd -> {
            try {
                Files.createDirectories(s.dataDir());
                Files.writeString(s.dataDir().resolve("postgresql.conf"), "# copied\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new CommandResult(0, "1000/2000 kB (50%), 0/1 tablespace\n2000/2000 kB (100%), 1/1 tablespace\n");
        });
        List<CloneProgress> seen = new ArrayList<>();
        new Replica(s, "b", new PostgresBinaries(Path.of("/pg/bin"), 15), runner)
                .clone(new Upstream("127.0.0.11", 5442, Optional.of("b")), seen::add, Duration.ofMinutes(1));

        Command cmd = runner.commands.get(0);
        assertThat(cmd.argv()).startsWith("/pg/bin/pg_basebackup").contains("-X", "stream", "--progress", "-S", "b")
                .noneMatch(a -> a.contains("replpw") || a.contains("superpw"));
        assertThat(cmd.env()).containsEntry("PGPASSFILE", s.passfile().toString());
        assertThat(seen).extracting(CloneProgress::percent).containsExactly(50, 100);
        assertThat(Files.readString(s.passfile())).contains("replicator:replpw");
        assertThat(Files.getPosixFilePermissions(s.passfile())).hasSize(2);
        assertThat(s.dataDir().resolve("standby.signal")).exists();
        assertThat(Files.readString(s.dataDir().resolve("postgresql.conf")))
                .contains("include_if_exists = 'pgha.conf'");
        assertThat(Files.readString(s.dataDir().resolve("pgha.conf"))).contains("primary_slot_name = b");
    }

    @Test
    void aFailedCloneSaysWhyAndARewindFailureIsAResult() {
        PostgresSettings s = settings();
        FakeCommandRunner runner = new FakeCommandRunner(cmd -> new CommandResult(1, "FATAL: no pg_hba.conf entry"));
        Replica replica = new Replica(s, "b", new PostgresBinaries(Path.of("/pg/bin"), 15), runner);
        Upstream h = new Upstream("h", 1, Optional.empty());
        assertThatThrownBy(() -> replica.clone(h, p -> { }, Duration.ofSeconds(1)))
                .isInstanceOf(PostgresException.class).hasMessageContaining("no pg_hba.conf entry");
        assertThat(replica.rewind(h, Duration.ofSeconds(1))).isFalse();
        // A CHECKPOINT on the source first: a just-promoted source's pg_control names its new timeline only then.
        assertThat(runner.commands.get(1).argv()).startsWith("/pg/bin/psql")
                .contains("host=h port=1 user=postgres dbname=postgres", "CHECKPOINT")
                .noneMatch(a -> a.contains("superpw"));
        assertThat(runner.commands.get(2).argv()).startsWith("/pg/bin/pg_rewind")
                .contains("--source-server=host=h port=1 user=postgres dbname=postgres")
                .noneMatch(a -> a.contains("superpw"));
    }

    @Test
    void followRewritesTheUpstreamAndReloadsOnlyARunningServer() throws IOException {
        PostgresSettings s = settings();
        Files.createDirectories(s.dataDir());
        List<String> calls = new ArrayList<>();
        boolean[] running = {false};
        PostgresProcess process = new PostgresProcess() {
            public void initdb() { }

            public void start(Duration timeout) { }

            public void stop(ShutdownMode mode, Duration timeout) { }

            public void promote(Duration timeout) { }

            public void reload() {
                calls.add("reload");
            }

            public PostgresState state() {
                return running[0] ? PostgresState.RUNNING : PostgresState.STOPPED;
            }

            public boolean dataDirPresent() {
                return true;
            }
        };
        Replica replica = new Replica(s, "b", new PostgresBinaries(Path.of("/pg/bin"), 15),
                new FakeCommandRunner(cmd -> new CommandResult(0, "")));
        replica.follow(new Upstream("127.0.0.13", 5442, Optional.of("b")), process);
        assertThat(calls).isEmpty();
        running[0] = true;
        replica.follow(new Upstream("127.0.0.14", 5442, Optional.of("b")), process);
        assertThat(calls).containsExactly("reload");
        assertThat(Files.readString(s.dataDir().resolve("pgha.conf"))).contains("host=127.0.0.14")
                .doesNotContain("127.0.0.13");
        assertThat(s.dataDir().resolve("standby.signal")).exists();
    }

    @Test
    void binariesAreFoundNewestFirstOrTheErrorSaysWhatToInstall() throws IOException {
        for (String d : List.of("usr/lib/postgresql/13/bin", "usr/lib/postgresql/15/bin", "usr/pgsql-14/bin")) {
            Path bin = Files.createDirectories(dir.resolve("root").resolve(d));
            Files.createFile(bin.resolve("pg_ctl")).toFile().setExecutable(true);
        }
        assertThat(PostgresBinaries.locate(Optional.empty(), dir.resolve("root")).majorVersion()).isEqualTo(15);
        assertThatThrownBy(() -> PostgresBinaries.locate(Optional.empty(), dir.resolve("nothing")))
                .hasMessageContaining("install postgresql-15 (Debian/Ubuntu) or postgresql15-server (RHEL)");
    }
}
