package io.pgha.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's client of a node's REST API (STYLE P10: the CLI calls the REST API, it owns no logic). */
public final class RestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private String authorization;

    /** A client of {@code http://host:port}. */
    public RestClient(String host, int port) {
        this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The same client sending HTTP basic auth on every request (a node with {@code rest.username} set). */
    public RestClient withBasicAuth(String user, String password) {
        RestClient c = new RestClient(base, java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return c;
    }

    private RestClient(String base, String basic) {
        this.base = base;
        this.authorization = "Basic " + basic;
    }

    public String base() {
        return base;
    }

    /** {@code GET /cluster}, parsed. */
    public JsonNode cluster() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/cluster"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(base + "/cluster answered " + r.statusCode() + ": " + r.body().strip());
        }
        return JSON.readTree(r.body());
    }


    /** {@code GET /config}. */
    public Answer getConfig() throws IOException, InterruptedException {
        return answer(http.send(HttpRequest.newBuilder(URI.create(base + "/config")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code PATCH /config} with a JSON merge patch, compared against {@code etag}, with an optional login. */
    public Answer patchConfig(String patch, String etag, java.util.Optional<String> authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/config")).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").header("If-Match", etag)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static Answer answer(HttpResponse<String> r) {
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("ETag"));
    }

    /** A node's answer: the status code, the body and the {@code ETag} (the config key's mod revision), if any. */
    public record Answer(int code, String body, java.util.Optional<String> etag) {
        public boolean ok() {
            return code == 200 || code == 202;
        }
    }

    /** {@code GET path}, with the raw answer. */
    public Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build());
    }

    /** {@code POST path} with a JSON body; waits up to {@code timeout} for the node to answer. */
    public Answer post(String path, String json, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A client of the node whose REST API is at {@code apiUrl} ({@code http://host:port}). */
    public static RestClient ofUrl(String apiUrl) {
        URI u = URI.create(apiUrl);
        return new RestClient(u.getHost().replace("[", "").replace("]", ""), u.getPort());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpRequest withAuth = authorization == null ? request
                : HttpRequest.newBuilder(request, (k, v) -> true).header("Authorization", authorization).build();
        HttpResponse<String> r = http.send(withAuth, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().strip(), r.headers().firstValue("ETag"));
    }

    /** Whether the cluster has a leader and {@code replicas} streaming replicas. */
    public static boolean formed(JsonNode cluster, int replicas) {
        int leaders = 0;
        int streaming = 0;
        for (JsonNode m : cluster.path("members")) {
            leaders += m.path("role").asText().equals("leader") ? 1 : 0;
            streaming += m.path("state").asText().equals("streaming") ? 1 : 0;
        }
        return leaders == 1 && streaming >= replicas;
    }
}
