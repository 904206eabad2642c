package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 JSON gateway on the shared client port, and what malformed input does to it. */
class EtcdGatewayTest {
    private ApiFixture api;
    private HttpJson http;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        http = new HttpJson(api.endpoint());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void putAndRangeSpeakGrpcGatewayJson() throws Exception {
        HttpJson.Reply put = http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Yg==\"}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.contentType()).isEqualTo("application/json");
        assertThat(put.body()).contains("\"revision\":\"2\"").contains("\"raft_term\":\"2\"");
        HttpJson.Reply range = http.post("/v3beta/kv/range", "{\"key\":\"YQ==\",\"unknown_field\":1}");
        assertThat(range.body()).endsWith("\"kvs\":[{\"key\":\"YQ==\",\"create_revision\":\"2\",\"mod_revision\":\"2\","
                + "\"version\":\"1\",\"value\":\"Yg==\"}],\"count\":\"1\"}");
    }

    @Test
    void versionHealthAndUnknownPaths() throws Exception {
        assertThat(http.get("/version").body()).isEqualTo("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}");
        assertThat(http.get("/health").body()).isEqualTo("{\"health\":\"true\"}");
        assertThat(http.get("/v3/kv/range")).isEqualTo(new HttpJson.Reply(405, "Method Not Allowed\n",
                "text/plain; charset=utf-8"));
        assertThat(http.post("/v3/kv/nothing", "{}").status()).isEqualTo(404);
        assertThat(http.post("/v3alpha/kv/range", "{}").body()).isEqualTo("404 page not found\n");
    }

    @Test
    void errorsCarryEtcdsMessageCodeAndHttpStatus() throws Exception {
        assertThat(http.post("/v3/kv/range", "")).isEqualTo(new HttpJson.Reply(400, "{\"error\":\"etcdserver: key is "
                + "not provided\",\"message\":\"etcdserver: key is not provided\",\"code\":3}", "application/json"));
        assertThat(http.post("/v3/auth/authenticate", "{\"name\":\"u\"}").status()).isEqualTo(412);
        assertThat(http.post("/v3/lease/revoke", "{\"ID\":\"42\"}").status()).isEqualTo(404);
        HttpJson.Reply broken = http.post("/v3/kv/put", "{bad");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body()).endsWith(",\"code\":3}");
        assertThat(http.post("/v3/kv/put", "{\"key\":5}").status()).isEqualTo(400);
        HttpJson.Reply brokenStream = http.post("/v3/watch", "{bad");
        assertThat(brokenStream.status()).isEqualTo(500);
        assertThat(brokenStream.body()).endsWith(",\"code\":2}");
        assertThat(http.get("/version").status()).isEqualTo(200);
    }

    @Test
    void oversizedRequestsGetEtcdsErrors() throws Exception {
        HttpJson.Reply large = http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\""
                + Base64.getEncoder().encodeToString(new byte[1600 * 1024]) + "\"}");
        assertThat(large).isEqualTo(new HttpJson.Reply(400, "{\"error\":\"etcdserver: request is too large\","
                + "\"message\":\"etcdserver: request is too large\",\"code\":3}", "application/json"));
        HttpJson.Reply huge = http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\""
                + Base64.getEncoder().encodeToString(new byte[2100 * 1024]) + "\"}");
        assertThat(huge.status()).isEqualTo(429);
        assertThat(huge.body()).startsWith("{\"error\":\"grpc: received message larger than max (2150408 vs. "
                + "2097152)\"").endsWith("\"code\":8}");
        assertThat(http.post("/v3/kv/range", "{\"key\":\"YQ==\"}").body()).doesNotContain("kvs");
    }

    @Test
    void keepAliveAnswersEveryObjectThenEnds() throws Exception {
        String id = http.post("/v3/lease/grant", "{\"TTL\":30}").body().replaceAll(".*\"ID\":\"(\\d+)\".*", "$1");
        try (HttpJson.Stream s = http.stream("/v3/lease/keepalive", "{\"ID\":\"" + id + "\"}{\"ID\":\"" + id + "\"}")) {
            assertThat(s.transferEncoding).isEqualTo("chunked");
            List<String> lines = s.untilEnd(5);
            assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"result\":{\"header\":")
                    .endsWith("\"ID\":\"" + id + "\",\"TTL\":\"30\"}}"));
        }
    }

    @Test
    void watchStreamsCreatedThenEventsAndStaysOpen() throws Exception {
        try (HttpJson.Stream s = http.stream("/v3/watch", "{\"create_request\":{\"key\":\"YQ==\"}}")) {
            assertThat(s.next(5000)).startsWith("{\"result\":{\"header\":").endsWith("\"created\":true}}");
            http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Yg==\"}");
            assertThat(s.next(5000)).contains("\"events\":[{\"kv\":{\"key\":\"YQ==\"");
            http.post("/v3/kv/deleterange", "{\"key\":\"YQ==\"}");
            assertThat(s.next(5000)).contains("\"events\":[{\"type\":\"DELETE\",\"kv\":{\"key\":\"YQ==\"");
        }
    }

    @Test
    void watchTheServerCancelsEndsTheResponseSoPatroniReconnects() throws Exception {
        http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"MQ==\"}");
        http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Mg==\"}");
        assertThat(http.post("/v3/kv/compaction", "{\"revision\":\"3\"}").status()).isEqualTo(200);
        try (HttpJson.Stream s = http.stream("/v3/watch", "{\"create_request\":{\"key\":\"YQ==\","
                + "\"start_revision\":\"2\"}}")) {
            List<String> lines = s.untilEnd(5);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).contains("\"canceled\":true").contains("\"compact_revision\":\"3\"");
        }
    }

    @Test
    void garbageOnThePortClosesThatConnectionOnly() throws Exception {
        byte[] garbage = {0x16, 0x03, 0x01, 0x00, (byte) 0xff, 'x', '\r', '\n', '\r', '\n'};
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(garbage);
            out.flush();
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            List<Byte> answer = new ArrayList<>();
            int b;
            while ((b = in.read()) >= 0) {
                answer.add((byte) b);
            }
            byte[] bytes = new byte[answer.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = answer.get(i);
            }
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 ");
        }
        try (Socket half = new Socket("127.0.0.1", api.port())) {
            half.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            half.getOutputStream().write(garbage);
        }
        assertThat(http.get("/version").status()).isEqualTo(200);
    }
}
