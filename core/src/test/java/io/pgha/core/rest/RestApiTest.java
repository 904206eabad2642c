package io.pgha.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API against a fake status service, through the JDK HttpClient: a table of (node, path, method) -> code. */
class RestApiTest {
    static final NodeStatus PRIMARY = node("a", Role.PRIMARY, true, false, 0, Map.of());
    static final NodeStatus REPLICA = node("b", Role.REPLICA, false, false, 1000, Map.of("zone", "eu"));
    static final NodeStatus LAGGING = node("c", Role.REPLICA, false, false, 20L << 20, Map.of());
    static final NodeStatus SYNC = node("d", Role.REPLICA, false, true, 0, Map.of());
    static final NodeStatus NOLB = node("e", Role.REPLICA, false, false, 0, Map.of("noloadbalance", "true"));
    static final NodeStatus STOPPED = new NodeStatus("f", Role.UNKNOWN, PostgresState.STOPPED, false, false, 0,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Map.of(), true, 1 << 20);
    static final NodeStatus STALE_PRIMARY = node("g", Role.PRIMARY, false, false, 0, Map.of());

    private static final AtomicReference<NodeStatus> CURRENT = new AtomicReference<>(PRIMARY);
    private static final AtomicReference<Optional<ClusterView>> CLUSTER = new AtomicReference<>(Optional.empty());
    private static RestApi api;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static NodeStatus node(String name, Role role, boolean leader, boolean sync, long lag, Map<String, String> tags) {
        return new NodeStatus(name, role, PostgresState.RUNNING, leader, sync, 1,
                role == Role.PRIMARY ? Optional.of(new Lsn(5000)) : Optional.empty(),
                role == Role.REPLICA ? Optional.of(new Lsn(4000)) : Optional.empty(), Optional.empty(),
                Optional.of(lag), role == Role.REPLICA, tags, true, 1 << 20);
    }

    @BeforeAll
    static void startApi() throws IOException {
        api = new RestApi(new InetSocketAddress("127.0.0.1", 0), new NodeStatusService() {
            public NodeStatus status() {
                return CURRENT.get();
            }

            public Optional<ClusterView> cluster() {
                return CLUSTER.get();
            }
        }, "demo");
        api.start();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    static Stream<Arguments> probes() {
        return Stream.of(
                Arguments.of("primary /primary", PRIMARY, "/primary", "GET", 200),
                Arguments.of("primary / (root)", PRIMARY, "/", "GET", 200),
                Arguments.of("primary /read-write HEAD", PRIMARY, "/read-write", "HEAD", 200),
                Arguments.of("primary /leader OPTIONS", PRIMARY, "/leader", "OPTIONS", 200),
                Arguments.of("primary /replica", PRIMARY, "/replica", "GET", 503),
                Arguments.of("primary /read-only", PRIMARY, "/read-only", "GET", 200),
                Arguments.of("primary without key /primary", STALE_PRIMARY, "/primary", "OPTIONS", 503),
                Arguments.of("replica /primary", REPLICA, "/primary", "OPTIONS", 503),
                Arguments.of("replica /replica", REPLICA, "/replica", "GET", 200),
                Arguments.of("replica /replica?lag=10MB", REPLICA, "/replica?lag=10MB", "GET", 200),
                Arguments.of("lagging /replica?lag=10MB", LAGGING, "/replica?lag=10MB", "GET", 503),
                Arguments.of("lagging /replica without lag", LAGGING, "/replica", "GET", 200),
                Arguments.of("replica /replica?lag=500", REPLICA, "/replica?lag=500", "HEAD", 503),
                Arguments.of("replica matching tag", REPLICA, "/replica?tag_zone=eu", "GET", 200),
                Arguments.of("replica other tag value", REPLICA, "/replica?tag_zone=us", "GET", 503),
                Arguments.of("replica missing tag", REPLICA, "/replica?tag_rack=1", "GET", 503),
                Arguments.of("noloadbalance /replica", NOLB, "/replica", "GET", 503),
                Arguments.of("replica /read-only", REPLICA, "/read-only", "GET", 200),
                Arguments.of("sync /sync", SYNC, "/sync", "GET", 200),
                Arguments.of("async /sync", REPLICA, "/sync", "GET", 503),
                Arguments.of("async /async", REPLICA, "/async", "GET", 200),
                Arguments.of("sync /async", SYNC, "/async", "GET", 503),
                Arguments.of("stopped /health", STOPPED, "/health", "GET", 503),
                Arguments.of("replica /health", REPLICA, "/health", "GET", 200),
                Arguments.of("stopped /liveness (loop alive)", STOPPED, "/liveness", "GET", 200),
                Arguments.of("lagging /readiness", LAGGING, "/readiness", "GET", 503),
                Arguments.of("replica /readiness", REPLICA, "/readiness", "GET", 200),
                Arguments.of("primary /readiness", PRIMARY, "/readiness", "GET", 200),
                Arguments.of("unknown path", PRIMARY, "/nope", "GET", 404),
                Arguments.of("POST to a health path", PRIMARY, "/primary", "POST", 405),
                Arguments.of("DELETE /cluster", PRIMARY, "/cluster", "DELETE", 405),
                Arguments.of("no config yet", PRIMARY, "/config", "GET", 502),
                Arguments.of("metrics", PRIMARY, "/metrics", "GET", 200));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("probes")
    void probeAnswersWithPatronisCode(String name, NodeStatus node, String path, String method, int code)
            throws Exception {
        CURRENT.set(node);
        HttpResponse<String> r = call(path, method);
        assertThat(r.statusCode()).as(name).isEqualTo(code);
        if (method.equals("HEAD") || method.equals("OPTIONS")) {
            assertThat(r.body()).as("%s: status line only", name).isEmpty();
        }
    }

    @Test
    void getReturnsPatronisNodeStatusAndMetricsAreProm() throws Exception {
        CURRENT.set(REPLICA);
        assertThat(call("/replica", "GET").body()).contains("\"state\":\"running\"", "\"role\":\"replica\"",
                "\"received_location\":4000", "\"zone\":\"eu\"", "\"name\":\"b\"");
        CURRENT.set(PRIMARY);
        assertThat(call("/metrics", "GET").body()).contains("# TYPE pgha_primary gauge",
                "pgha_primary{scope=\"demo\",name=\"a\"} 1", "pgha_xlog_location{scope=\"demo\",name=\"a\"} 5000");
    }

    @Test
    void agentRoutesAnswerTheirMethodAndPathOnly() throws Exception {
        api.route("POST", "/switchover", r -> RestApi.Reply.text(412, "got " + r.body() + " x=" + r.query().get("x")));
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort()
                + "/switchover?x=1")).POST(HttpRequest.BodyPublishers.ofString("{\"leader\":\"a\"}")).build();
        HttpResponse<String> r = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(412);
        assertThat(r.body()).isEqualTo("got {\"leader\":\"a\"} x=1\n");
        assertThat(call("/switchover", "GET").statusCode()).isEqualTo(404);
        CURRENT.set(PRIMARY);
        assertThat(call("/primary", "OPTIONS").statusCode()).isEqualTo(200);
    }

    @Test
    void lagSizesFollowPatroni() {
        assertThat(HealthChecks.parseSize("16kB")).contains(16L << 10);
        assertThat(HealthChecks.parseSize("10MB")).contains(10L << 20);
        assertThat(HealthChecks.parseSize("1GB")).contains(1L << 30);
        assertThat(HealthChecks.parseSize("1048576")).contains(1048576L);
        assertThat(HealthChecks.parseSize("lots")).isEmpty();
    }

    private static HttpResponse<String> call(String path, String method) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + api.address().getPort() + path);
        HttpRequest req = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
