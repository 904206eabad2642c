package io.pgha.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgha.core.config.Environment;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pgha list} against a real HTTP server that answers {@code /cluster} as an agent does. */
class ListCommandTest {
    private static final String CLUSTER = "{\"scope\":\"orders\",\"members\":["
            + "{\"name\":\"n1\",\"role\":\"leader\",\"state\":\"running\",\"host\":\"10.0.0.1\",\"port\":5442,"
            + "\"timeline\":1,\"pending_restart\":true},"
            + "{\"name\":\"n2\",\"role\":\"unknown\",\"state\":\"creating replica (45%)\",\"host\":\"10.0.0.2\","
            + "\"port\":5442,\"timeline\":0,\"lag\":\"unknown\"},"
            + "{\"name\":\"n3\",\"role\":\"replica\",\"state\":\"streaming\",\"host\":\"10.0.0.3\",\"port\":5442,"
            + "\"timeline\":1,\"lag\":3145728}],\"leader\":\"n1\"}";
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private String host;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.64", 0), 8);
        server.createContext("/cluster", ex -> {
            requests.incrementAndGet();
            byte[] body = CLUSTER.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        host = "127.0.0.64:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theTableShowsCloneProgressLagInMbAndPendingRestart() {
        CliRun r = CliRun.of(Environment.system(), "list", "--host", host);
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).contains("+ Cluster: orders ",
                "| n1     | 10.0.0.1:5442 | Leader  | running                | 1  |           | *               |",
                "| n2     | 10.0.0.2:5442 | Unknown | creating replica (45%) | 0  | unknown   |                 |",
                "| n3     | 10.0.0.3:5442 | Replica | streaming              | 1  | 3         |                 |");
    }

    @Test
    void jsonAndYamlCarryTheDocument() {
        CliRun json = CliRun.of(Environment.system(), "list", "--host", host, "--format", "json");
        assertThat(json.exitCode()).isEqualTo(0);
        assertThat(json.out()).contains("\"scope\" : \"orders\"", "\"state\" : \"creating replica (45%)\"",
                "\"pending_restart\" : true");
        CliRun yaml = CliRun.of(Environment.system(), "list", "--host", host, "-f", "yaml");
        assertThat(yaml.out()).contains("scope: \"orders\"", "- name: \"n2\"", "lag: 3145728");
        CliRun bad = CliRun.of(Environment.system(), "list", "--host", host, "--format", "xml");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--format: found 'xml', expected pretty, json or yaml");
    }

    @Test
    void watchRefreshesUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = PghaCommand.commandLine(Environment.system());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(cli.execute("list", "--host", host, "--watch", "--interval", "1")));
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (requests.get() < 3 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        t.interrupt();
        t.join(Duration.ofSeconds(30).toMillis());
        assertThat(t.isAlive()).isFalse();
        assertThat(code.get()).isEqualTo(0);
        assertThat(requests.get()).isGreaterThanOrEqualTo(3);
        assertThat(out.toString().split("\\+ Cluster: orders", -1).length - 1).isGreaterThanOrEqualTo(3);
    }
}
