package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stats listener: HTML page, JSON and Prometheus text, from a running proxy. */
class StatsEndpointsTcpTest extends TcpFixture {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + proxy.statsAddress().orElseThrow().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageJsonAndMetricsOfTheLiveState() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        start(settings().build()).update(table(4, n1.primary(), n2.replica(123)));
        assertThat(rw().startup()).isEqualTo("n1");
        proxy.update(table(5, n2.primary()));
        Await.until("the old session is gone", () -> current("n1", Listener.RW) == 0);
        assertThat(rw().startup()).isEqualTo("n2");

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("html"));
        assertThat(page.body()).contains("<meta http-equiv=\"refresh\" content=\"2\">")
                .contains("n2").contains("OPEN").contains("closing 1 session(s) to the old primary");

        String json = get("/stats.json").body();
        assertThat(json).contains("\"generation\":5").contains("\"rwFailClosed\":false")
                .contains("\"member\":\"n2\"").contains("\"listener\":\"rw\"");

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("pgha_proxy_sessions{listener=\"rw\",backend=\"n2\"} 1")
                .contains("pgha_proxy_sessions{listener=\"rw\",backend=\"n1\"} 0")
                .contains("pgha_proxy_routing_generation 5")
                .contains("pgha_proxy_rw_fail_closed 0")
                .contains("pgha_proxy_connections_refused_total{listener=\"rw\"} 0")
                .containsPattern("pgha_proxy_bytes_total\\{backend=\"n2\",direction=\"to_backend\"} [1-9]");

        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsShowRwFailClosed() throws Exception {
        FakePostgres n1 = echo("n1");
        start(settings().build()).update(table(1, n1.primary()));
        clock.advance(Duration.ofMinutes(1));
        Await.until("RW fails closed", () -> proxy.stats().rwFailClosed());
        assertThat(get("/metrics").body()).contains("pgha_proxy_rw_fail_closed 1");
        assertThat(get("/").body()).contains("FAIL_CLOSED").contains("failed closed");
    }
}
