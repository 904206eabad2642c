package io.pgha.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxyStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names and reasons come from configuration: every renderer must escape them for its format. */
class StatsRenderingTest {
    private static final String NASTY = "n\"1<script>\\\n";

    private static ProxyStats stats() {
        ProxyStats.BackendStats b = new ProxyStats.BackendStats(NASTY, "10.0.0.1", 5442, "PRIMARY", "RUNNING", 0,
                false, true, Map.of(Listener.RW, 2L), 7, 100, 200);
        return new ProxyStats(Instant.EPOCH, 3, "gen 3", "FAIL_CLOSED", Instant.EPOCH,
                List.of(new ProxyStats.ListenerStats(Listener.RW, 5432, 2, 9, 1, 0),
                        new ProxyStats.ListenerStats(Listener.RO, 5433, 0, 0, 0, 0)),
                List.of(b), List.of(new ProxyStats.Change(Instant.EPOCH, 3, "why " + NASTY)), 0, 0, 0);
    }

    @Test
    void htmlEscapesNamesAndRefreshesItself() {
        String html = StatsPage.render(stats());
        assertThat(html).doesNotContain("<script>").contains("n&quot;1&lt;script&gt;")
                .contains("http-equiv=\"refresh\" content=\"2\"").contains("failed closed");
    }

    @Test
    void jsonEscapesStringsAndCarriesTheFailClosedFlag() {
        String json = StatsJson.render(stats());
        assertThat(json).contains("\"member\":\"n\\\"1<script>\\\\\\u000a\"").contains("\"rwFailClosed\":true")
                .doesNotContain("\n\"");
    }

    @Test
    void metricsEscapeLabelValuesAndReportEveryListenerBackendPair() {
        String metrics = PrometheusText.render(stats());
        String label = "n\\\"1<script>\\\\\\n";
        assertThat(metrics).contains("pgha_proxy_sessions{listener=\"rw\",backend=\"" + label + "\"} 2")
                .contains("pgha_proxy_sessions{listener=\"ro\",backend=\"" + label + "\"} 0")
                .contains("pgha_proxy_rw_fail_closed 1")
                .contains("pgha_proxy_connections_refused_total{listener=\"rw\"} 1")
                .contains("pgha_proxy_routing_generation 3");
        assertThat(metrics.lines().filter(l -> !l.startsWith("#")))
                .allMatch(l -> l.matches("[a-z_]+(\\{.*})? -?[0-9]+"));
    }
}
