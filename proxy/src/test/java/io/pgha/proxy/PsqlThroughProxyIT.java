package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code psql} against a real PostgreSQL 15 through the proxy: the startup packet, SSL negotiation and the
 * query pass untouched, and a refusal shows up in psql as the proxy's FATAL message.
 */
class PsqlThroughProxyIT {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));
    private static Path dataDir;
    private static int pgPort;
    private static PgProxy proxy;
    private static long generation;

    @BeforeAll
    static void startPostgresAndProxy() throws Exception {
        assertThat(BIN.resolve("postgres")).as("PostgreSQL 15 server binaries (.ci/run installs them)").exists();
        dataDir = Files.createTempDirectory(Path.of("/var/tmp"), "pgha-proxy-it-");
        chownToPostgres(dataDir);
        Path data = dataDir.resolve("data");
        asPostgres(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "--no-sync");
        Path key = dataDir.resolve("server.key");
        Path cert = dataDir.resolve("server.crt");
        run(List.of("openssl", "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost", "-keyout",
                key.toString(), "-out", cert.toString()));
        chownToPostgres(key);
        chownToPostgres(cert);
        run(List.of("chmod", "600", key.toString()));
        pgPort = freePort();
        String options = "-p " + pgPort + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c ssl=on"
                + " -c ssl_cert_file=" + cert + " -c ssl_key_file=" + key;
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dataDir.resolve("pg.log").toString(),
                "-w", "-t", "60", "-o", options, "start");
        proxy = new PgProxy(ProxySettings.builder().listenAddress("127.0.0.1").ports(0, 0, -1).build());
        proxy.start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (dataDir != null) {
            asPostgresQuietly(BIN.resolve("pg_ctl").toString(), "-D", dataDir.resolve("data").toString(), "-m",
                    "immediate", "stop");
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void psqlReachesThePrimaryThroughTheRwListener() throws Exception {
        proxy.update(RoutingTable.of(++generation, Backend.primary("pg15", "127.0.0.1", pgPort), List.of(),
                java.time.Instant.now()));
        Result r = psql(proxy.address(Listener.RW).getPort(), "select pg_is_in_recovery()");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("f");
        assertThat(proxy.stats().backend("pg15").orElseThrow().bytesFromBackend()).isPositive();
    }

    @Test
    void tlsPassesThroughEndToEndWithoutTheProxyTerminatingIt() throws Exception {
        proxy.update(RoutingTable.of(++generation, Backend.primary("pg15", "127.0.0.1", pgPort), List.of(),
                java.time.Instant.now()));
        Result r = psql(proxy.address(Listener.RW).getPort(), "require",
                "select ssl from pg_stat_ssl where pid = pg_backend_pid()");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout().strip()).as("the server sees a TLS session from the client").isEqualTo("t");
    }

    @Test
    void psqlShowsTheProxysReasonWhenThereIsNoPrimary() throws Exception {
        proxy.update(new RoutingTable(++generation, Optional.empty(), List.of(), false, java.time.Instant.now()));
        Result r = psql(proxy.address(Listener.RW).getPort(), "select 1");
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("FATAL:  pgha: no primary available");
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result psql(int port, String sql) throws Exception {
        return psql(port, "prefer", sql);
    }

    private static Result psql(int port, String sslMode, String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                "postgres", "-d", "postgres", "-Atc", sql);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().put("PGSSLMODE", sslMode);
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("psql finished").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Postgres refuses to run as root: as root (CI), drop to the OS user postgres; otherwise run as we are. */
    private static void asPostgres(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (RUNNING_AS_ROOT) {
            cmd.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        cmd.addAll(List.of(command));
        run(cmd);
    }

    private static void chownToPostgres(Path path) throws Exception {
        if (RUNNING_AS_ROOT) {
            run(List.of("chown", "postgres:postgres", path.toString()));
        }
    }

    private static void asPostgresQuietly(String... command) {
        try {
            asPostgres(command);
        } catch (Exception | AssertionError e) {
            // Clean-up only: the data directory is deleted next either way.
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        assertThat(p.exitValue()).as("%s failed:%n%s", cmd, out).isZero();
    }
}
