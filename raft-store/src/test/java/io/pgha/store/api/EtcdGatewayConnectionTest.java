package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fresh gateway connections, one after the other, each must be answered: the regression tests of a race in which
 * the gateway closed a new watch connection before its first byte (HttpJson does not retry, so any such close
 * fails these tests and the other gateway tests).
 */
class EtcdGatewayConnectionTest {
    private static final int ROUNDS = 40;
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

    /**
     * A watch on a compacted revision is cancelled by the server, which ends the HTTP response, while the gateway
     * may still be sending the body's later requests into the call: the response must still arrive whole.
     */
    @Test
    void aWatchCancelledWhileItsRequestsAreStillBeingSentIsAnsweredWhole() throws Exception {
        http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"MQ==\"}");
        http.post("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Mg==\"}");
        assertThat(http.post("/v3/kv/compaction", "{\"revision\":\"3\"}").status()).isEqualTo(200);
        StringBuilder body = new StringBuilder("{\"create_request\":{\"key\":\"YQ==\",\"start_revision\":\"2\"}}");
        for (int i = 0; i < 200; i++) {
            body.append("{\"create_request\":{\"key\":\"Yg==\"}}");
        }
        for (int round = 0; round < ROUNDS; round++) {
            try (HttpJson.Stream s = http.stream("/v3/watch", body.toString())) {
                List<String> lines = s.untilEnd(60);
                assertThat(lines).as("round %d", round).isNotEmpty();
                assertThat(lines.get(0)).as("round %d", round).contains("\"created\":true");
                assertThat(lines.get(lines.size() - 1)).as("round %d", round).contains("\"canceled\":true")
                        .contains("\"compact_revision\":\"3\"");
            }
        }
    }

    /** Requests cut into small pieces with pauses, also inside the bytes the protocol sniffer looks at. */
    @Test
    void requestsArrivingInFragmentsAreAnswered() throws Exception {
        String body = "{\"create_request\":{\"key\":\"YQ==\"}}";
        byte[] request = ("POST /v3/watch HTTP/1.1\r\nHost: pgha\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
        int headerEnd = request.length - body.length();
        int[] cuts = {1, 2, 3, 24, headerEnd - 2, headerEnd, request.length - 1, request.length};
        for (int round = 0; round < ROUNDS; round++) {
            try (Socket socket = new Socket("127.0.0.1", api.port())) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
                OutputStream out = socket.getOutputStream();
                int from = 0;
                for (int cut : cuts) {
                    out.write(request, from, cut - from);
                    out.flush();
                    from = cut;
                    Thread.sleep(round % 4); // lets each piece arrive as a read of its own
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                assertThat(in.readLine()).as("round %d", round).isEqualTo("HTTP/1.1 200 OK");
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.contains("\"created\":true"));
                assertThat(line).as("round %d: the created response", round).isNotNull();
            }
        }
    }
}
