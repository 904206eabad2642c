package io.pgha.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.testing.AgentCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Rule 1 across a real network partition: three agent JVMs, each in its own network namespace ({@code f2n1..3},
 * 10.231.102.11-13, joined by veth pairs to a bridge; ports picked free on 127.0.0.104), asynchronous replication so
 * that only the lease fence can stop the cut-off primary. The primary's link is taken down. Its fence must stop its
 * Postgres before the majority promotes one of its own, which a writer inside the primary's namespace, writing to
 * its local Postgres every 50 ms, sees. After healing, the old primary rejoins by pg_rewind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartitionFencingIT {
    private static final Duration LONG = Duration.ofMinutes(3);
    private static final String PSQL = "/usr/lib/postgresql/15/bin/psql";
    private NetworkNamespaces net;
    private AgentCluster nodes;

    @BeforeAll
    void form() throws Exception {
        net = NetworkNamespaces.create("f2", "10.231.102", 3);
        nodes = AgentCluster.builder("fencing-net", net.addresses()).portsFrom("127.0.0.104")
                .launcher(name -> net.exec(Integer.parseInt(name.substring("node".length())))).build();
        nodes.form(LONG);
        try (Connection c = nodes.connect("node1")) {
            WriteRecorder.createTable(c);
        }
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (nodes != null) {
                if (net != null) {
                    net.heal(1);
                }
                nodes.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    @Test
    void aPrimaryCutOffFromTheMajorityStopsTakingWritesBeforeAnotherIsPromotedAndRejoinsAfterHealing()
            throws Exception {
        long postmaster = nodes.postmasterPid("node1").orElseThrow();
        Path localLog = Files.createTempFile(Path.of("/var/tmp"), "pgha-f2-local-", ".log");
        Process local = localWriter(localLog);
        try (WriteRecorder writer = recorder()) {
            nodes.await("node1 accepts writes locally and from outside", LONG, () -> !localOks(localLog).isEmpty()
                    && !writer.accepted("node1", 0).isEmpty());
            long cutMicros = WriteRecorder.micros();
            net.cut(1);
            nodes.await("node1's fence killed its postmaster", LONG, () -> !ProcessHandle.of(postmaster)
                    .map(ProcessHandle::isAlive).orElse(false));
            long goneMicros = WriteRecorder.micros();
            nodes.await("node2 or node3 answers /primary", LONG, () -> newPrimary().isPresent());
            String next = newPrimary().get();
            nodes.await(next + " accepts writes", LONG, () -> !writer.accepted(next, cutMicros).isEmpty());
            long promotedBy = writer.accepted(next, cutMicros).get(0).startMicros();
            long lastLocalOk = localOks(localLog).stream().mapToLong(l -> l[1]).max().orElseThrow();
            System.out.printf("partition: cut %s; node1's last local write acknowledged %.1f s after the cut, its"
                    + " postmaster seen gone %.1f s after; first write on %s started %.1f s after the cut:"
                    + " margin %.1f s%n", at(cutMicros), (lastLocalOk - cutMicros) / 1e6, (goneMicros - cutMicros)
                    / 1e6, next, (promotedBy - cutMicros) / 1e6, (promotedBy - lastLocalOk) / 1e6);
            assertThat(lastLocalOk).as("node1's last local write ends before %s's first one starts", next)
                    .isLessThan(promotedBy);
            net.heal(1);
            nodes.await("node1 streaming from " + next, LONG, () -> nodes.streaming(next).contains("node1"));
            nodes.await("node1 answers /replica", LONG, () -> nodes.get("node1", "/replica") == 200);
            writer.close();
            assertThat(WriteRecorder.overlap(writer.writes())).isEmpty();
            assertThat(writer.accepted("node1", 0)).allMatch(w -> w.endMicros() < promotedBy);
            assertThat(localOks(localLog).stream().mapToLong(l -> l[1]).max().orElseThrow()).isEqualTo(lastLocalOk);
            assertThat(nodes.primaries()).containsExactly(next);
            nodes.await("both others streaming from " + next, LONG, () -> nodes.streaming(next)
                    .equals(String.join(",", nodes.names().stream().filter(n -> !n.equals(next)).toList())));
            assertThat(nodes.log("node1")).contains("lease fence: leader key not renewed since")
                    .contains("killed postmaster " + postmaster + " and ").contains("pg_rewind from " + next);
            nodes.log("node1").lines().filter(l -> l.contains("lease fence:")).forEach(System.out::println);
        } finally {
            local.toHandle().descendants().forEach(ProcessHandle::destroy);
            local.destroy();
            Files.deleteIfExists(localLog);
        }
    }

    /** psql in node1's namespace, every 50 ms: "ok|fail START END" in microseconds since the epoch. */
    private Process localWriter(Path log) throws IOException {
        AgentCluster.Node n = nodes.node("node1");
        String loop = "while :; do s=$(date +%s%6N); if " + PSQL + " -X -q -w -h " + n.address() + " -p "
                + n.ports().postgres() + " -U postgres -d postgres -c \"INSERT INTO " + WriteRecorder.TABLE
                + " (node, seq) VALUES ('node1-local', 0)\" >/dev/null 2>&1; then r=ok; else r=fail; fi;"
                + " echo \"$r $s $(date +%s%6N)\"; sleep 0.05; done";
        List<String> argv = new ArrayList<>(net.exec(1));
        argv.addAll(List.of("bash", "-c", loop));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PGPASSWORD", nodes.superuserPassword());
        pb.environment().put("PGCONNECT_TIMEOUT", "2");
        pb.environment().put("PGOPTIONS", "-c statement_timeout=2000");
        return pb.start();
    }

    /** The acknowledged local writes as {start, end}. */
    private static List<long[]> localOks(Path log) {
        try {
            // The last line may be half written.
            return Files.readAllLines(log).stream().filter(l -> l.matches("ok \\d{16} \\d{16}"))
                    .map(l -> l.split(" ")).map(f -> new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])}).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Optional<String> newPrimary() {
        return List.of("node2", "node3").stream().filter(n -> nodes.get(n, "/primary") == 200).findFirst();
    }

    private WriteRecorder recorder() {
        Map<String, String> urls = new LinkedHashMap<>();
        nodes.names().forEach(n -> urls.put(n, nodes.jdbcUrl(n)));
        return new WriteRecorder(urls, "postgres", nodes.superuserPassword());
    }

    private static Instant at(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
