package io.pgha.core.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Asks a member of an existing cluster ({@code POST /cluster/members}) to add this node to the store. */
final class JoinClient {
    static final String TOKEN_HEADER = "X-Pgha-Cluster-Token";

    private JoinClient() {
    }

    /**
     * Sends the join request and returns the member's answer.
     *
     * @throws JoinRefusedException when the member refuses (wrong token, conflicting member)
     * @throws IOException when the member cannot be reached
     */
    static String join(String target, String apiBase, AgentSettings me, String token)
            throws IOException, InterruptedException {
        String form = "name=" + enc(me.name()) + "&peer=" + enc(me.peerAddress()) + "&client="
                + enc("http://" + me.address() + ":" + me.config().store().clientPort());
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/cluster/members"))
                .timeout(Duration.ofSeconds(60)).header(TOKEN_HEADER, token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503) {
            throw new IOException(target + " could not add this node yet: " + response.body().strip());
        }
        if (response.statusCode() != 200) {
            throw new JoinRefusedException("join refused by " + target + ": " + response.body().strip());
        }
        return response.body().strip();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The member answered and said no; retrying will not help. */
    static final class JoinRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JoinRefusedException(String message) {
            super(message);
        }
    }
}
