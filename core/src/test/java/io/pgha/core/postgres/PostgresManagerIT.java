package io.pgha.core.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.testing.Await;
import io.pgha.core.testing.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL through our ports: initdb with checksums, a primary on 127.0.0.11, a replica cloned with
 * pg_basebackup on 127.0.0.12 through a slot, streaming, a row replicated, promotion, stop. Cleans up processes and
 * directories even on failure.
 */
class PostgresManagerIT {
    private static final Duration START = Duration.ofSeconds(60);
    private final CommandRunner runner = new ProcessCommandRunner();
    private final List<PgCtlProcess> started = new ArrayList<>();
    private Path base;

    @BeforeEach
    void createBaseDir() throws IOException {
        Path root = Path.of("/var/tmp/pgha-it");
        Files.createDirectories(root);
        base = Files.createDirectory(root.resolve(UUID.randomUUID().toString().substring(0, 8)),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PostgresConfigFiles.chown(base, "postgres");
    }

    @AfterEach
    void stopEverythingAndClean() throws IOException {
        for (PgCtlProcess p : started) {
            try {
                p.stop(ShutdownMode.IMMEDIATE, Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void primaryAndStreamingReplicaThroughThePorts() throws IOException {
        PostgresBinaries bins = PostgresBinaries.locate(Optional.empty());
        PostgresSettings.Secret superPw = new PostgresSettings.Secret(UUID.randomUUID().toString());
        PostgresSettings.Secret replPw = new PostgresSettings.Secret(UUID.randomUUID().toString());
        PostgresSettings a = node("a", "127.0.0.11", superPw, replPw);
        PostgresSettings b = node("b", "127.0.0.12", superPw, replPw);

        PgCtlProcess primary = new PgCtlProcess(a, bins, runner);
        started.add(primary);
        long t0 = System.nanoTime();
        primary.initdb();
        new PostgresConfigFiles(a, "a").write(Optional.empty(), false);
        primary.start(START);
        System.out.printf("initdb + start of the primary: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(primary.state()).isEqualTo(PostgresState.RUNNING);

        PostgresQueries qa = queries(a);
        assertThat(qa.setting("data_checksums")).isEqualTo("on");
        assertThat(qa.setting("wal_log_hints")).isEqualTo("on");
        assertThat(qa.isInRecovery()).isFalse();
        qa.createOrUpdateRole(a.replicationUser(), replPw, true);
        qa.createPhysicalSlot(Replica.slotNameFor("b"));
        qa.execute("CREATE TABLE t (x int)");

        List<CloneProgress> progress = new CopyOnWriteArrayList<>();
        Replica replica = new Replica(b, "b", bins, runner);
        Duration cloneTime = replica.clone(new Upstream(a.listen(), a.port(), Optional.of("b")), progress::add,
                Duration.ofMinutes(2));
        System.out.printf("clone: %d ms, %d progress reports, last %s%n", cloneTime.toMillis(), progress.size(),
                progress.isEmpty() ? "-" : progress.get(progress.size() - 1));
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).percent()).isEqualTo(100);
        assertThat(Files.readString(b.dataDir().resolve("pgha.conf"))).contains("primary_slot_name = b")
                .doesNotContain(replPw.value());

        PgCtlProcess standby = new PgCtlProcess(b, bins, runner);
        started.add(standby);
        standby.start(START);
        PostgresQueries qb = queries(b);
        assertThat(qb.isInRecovery()).isTrue();
        long t1 = System.nanoTime();
        List<ReplicationRow> rows = Await.until("b streaming from a", Duration.ofSeconds(30), qa::replication,
                r -> r.stream().anyMatch(row -> row.applicationName().equals("b") && row.state().equals("streaming")));
        System.out.printf("streaming after %d ms: %s%n", (System.nanoTime() - t1) / 1_000_000, rows);
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.clientAddr()).isEqualTo("127.0.0.1"));

        qa.execute("INSERT INTO t VALUES (42)");
        Lsn written = qa.currentLsn().orElseThrow();
        Await.until("the row on b", Duration.ofSeconds(30), () -> qb.queryString("SELECT max(x) FROM t"),
                v -> v.equals(Optional.of("42")));
        assertThat(qb.replayedLsn().orElseThrow()).isGreaterThanOrEqualTo(written);
        assertThat(qb.timeline()).isEqualTo(1);

        long t2 = System.nanoTime();
        standby.promote(START);
        System.out.printf("promote: %d ms%n", (System.nanoTime() - t2) / 1_000_000);
        assertThat(qb.isInRecovery()).isFalse();
        assertThat(qb.timeline()).isEqualTo(2);
        qb.execute("INSERT INTO t VALUES (43)");

        rewindTheFormerPrimary(bins, a, primary, b, qb);

        standby.stop(ShutdownMode.FAST, START);
        primary.stop(ShutdownMode.FAST, START);
        assertThat(standby.state()).isEqualTo(PostgresState.STOPPED);
        assertThat(primary.state()).isEqualTo(PostgresState.STOPPED);
    }

    /** Rule 4 for real: the old primary a diverges, stops, is rewound from the new primary b and streams from it. */
    private void rewindTheFormerPrimary(PostgresBinaries bins, PostgresSettings a, PgCtlProcess oldPrimary,
                                        PostgresSettings b, PostgresQueries qb) {
        PostgresQueries qa = queries(a);
        qa.execute("INSERT INTO t VALUES (99)");
        oldPrimary.stop(ShutdownMode.FAST, START);
        qb.checkpoint();
        qb.createPhysicalSlot(Replica.slotNameFor("a"));
        long t = System.nanoTime();
        boolean rewound = new Replica(a, "a", bins, runner)
                .rewind(new Upstream(b.listen(), b.port(), Optional.of("a")), Duration.ofMinutes(1));
        System.out.printf("pg_rewind: %d ms%n", (System.nanoTime() - t) / 1_000_000);
        assertThat(rewound).isTrue();
        oldPrimary.start(START);
        assertThat(qa.isInRecovery()).isTrue();
        Await.until("a streaming from b", Duration.ofSeconds(30), qb::replication,
                r -> r.stream().anyMatch(row -> row.applicationName().equals("a") && row.state().equals("streaming")));
        qb.execute("INSERT INTO t VALUES (44)");
        Await.until("b's rows on a, without a's diverged 99", Duration.ofSeconds(30),
                () -> qa.queryString("SELECT string_agg(x::text, ',' ORDER BY x) FROM t"),
                v -> v.equals(Optional.of("42,43,44")));
        assertThat(qa.timeline()).isEqualTo(2);
    }

    private PostgresSettings node(String name, String address, PostgresSettings.Secret superPw,
                                  PostgresSettings.Secret replPw) throws IOException {
        Path socketDir = Files.createDirectory(base.resolve("sock-" + name));
        PostgresConfigFiles.chown(socketDir, "postgres");
        return new PostgresSettings(Optional.empty(), base.resolve(name), address, LoopbackPorts.free(address),
                socketDir,
                "postgres", "postgres", superPw, "replicator", replPw, base.resolve(name + ".pgpass"),
                // On one host every loopback connection leaves from 127.0.0.1: libpq cannot bind a source address.
                List.of("127.0.0.1", "127.0.0.11", "127.0.0.12"),
                Map.of("shared_buffers", "16MB", "log_min_messages", "warning"));
    }

    private static PostgresQueries queries(PostgresSettings s) {
        return new JdbcPostgresQueries(s.listen(), s.port(), s.superuser(), s.superuserPassword(),
                Duration.ofSeconds(5));
    }
}
