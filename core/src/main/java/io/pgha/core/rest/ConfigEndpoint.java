package io.pgha.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.DynamicConfig;
import io.pgha.core.config.ParameterCheck;
import io.pgha.core.dcs.ConfigKey;
import io.pgha.core.dcs.DcsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code GET /config} and {@code PATCH /config} (Patroni's shapes and codes): GET answers the stored document with
 * its mod revision as the {@code ETag}; PATCH takes a JSON merge patch, refuses it with 400 and every problem (one
 * per line, {@code FIELD: found X, expected Y}) when the result would be invalid, and otherwise writes it with a
 * compare-and-set on the revision read (or the one the client sent as {@code If-Match}): a concurrent edit gets 409
 * and nothing is written. Parameters are checked against this node's {@code pg_settings}.
 */
public final class ConfigEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigKey key;
    private final Callable<Map<String, ParameterCheck.Spec>> parameterSpecs;
    private final Optional<String> authorization;

    /** The answer to one request. */
    public record Reply(int code, String body, Optional<Long> revision) {
    }

    /**
     * @param key            the store key
     * @param parameterSpecs reads {@code pg_settings} of this node's Postgres (throws when it does not answer)
     * @param authorization  the {@code Authorization} header value a PATCH must carry, if the REST API has a login
     */
    public ConfigEndpoint(ConfigKey key, Callable<Map<String, ParameterCheck.Spec>> parameterSpecs,
                          Optional<String> authorization) {
        this.key = key;
        this.parameterSpecs = parameterSpecs;
        this.authorization = authorization;
    }

    /** Serves {@code /config} on the JDK HTTP server. */
    public void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        Reply r;
        if (method.equals("GET") || method.equals("HEAD")) {
            r = get();
        } else if (method.equals("PATCH")) {
            r = patch(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    Optional.ofNullable(ex.getRequestHeaders().getFirst("If-Match")),
                    Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")));
        } else {
            r = new Reply(405, "method not allowed: use GET or PATCH", Optional.empty());
        }
        boolean json = r.code() == 200;
        ex.getResponseHeaders().set("Content-Type", json ? "application/json" : "text/plain; charset=utf-8");
        r.revision().ifPresent(rev -> ex.getResponseHeaders().set("ETag", "\"" + rev + "\""));
        byte[] bytes = (r.body() + (json ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        if (method.equals("HEAD")) {
            ex.sendResponseHeaders(r.code(), -1);
        } else {
            ex.sendResponseHeaders(r.code(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    public Reply get() {
        try {
            return key.read().map(s -> new Reply(200, s.value(), Optional.of(s.modRevision())))
                    .orElse(new Reply(502, "no cluster-wide configuration in the store yet (the cluster has not"
                            + " finished its bootstrap)", Optional.empty()));
        } catch (DcsException e) {
            return new Reply(503, "cannot read the configuration from the store: " + e.getMessage(),
                    Optional.empty());
        }
    }

    /** Validates and writes a merge patch; nothing is written unless the whole result is valid. */
    public Reply patch(String body, Optional<String> ifMatch, Optional<String> auth) {
        if (authorization.isPresent() && !authorization.equals(auth)) {
            return new Reply(401, "PATCH /config needs the REST API login (rest.username and its password)",
                    Optional.empty());
        }
        try {
            Optional<ConfigKey.Stored> current = key.read();
            if (current.isEmpty()) {
                return new Reply(503, "no cluster-wide configuration in the store yet; nothing was written",
                        Optional.empty());
            }
            long base = current.get().modRevision();
            Optional<Long> expected = ifMatch.map(s -> s.replace("\"", "").strip()).map(ConfigEndpoint::revision);
            if (expected.isPresent() && expected.get() != base) {
                return conflict(expected.get(), base);
            }
            JsonNode patch;
            try {
                patch = JSON.readTree(body);
            } catch (IOException e) {
                return new Reply(400, "<body>: found text that is not JSON, expected a JSON object such as"
                        + " {\"postgres\":{\"parameters\":{\"work_mem\":\"8MB\"}}}", Optional.empty());
            }
            if (patch == null || !patch.isObject()) {
                return new Reply(400, "<body>: found no JSON object, expected a JSON object (a merge patch)",
                        Optional.empty());
            }
            ObjectNode before = DynamicConfig.parse(current.get().value());
            ObjectNode after = DynamicConfig.merge(before, patch);
            List<String> problems = problems(before, after);
            if (!problems.isEmpty()) {
                return new Reply(problems.get(0).startsWith("<postgres>") ? 503 : 400,
                        String.join("\n", problems) + "\nnothing was written", Optional.empty());
            }
            if (!key.compareAndSet(DynamicConfig.toJson(after), base)) {
                return conflict(base, key.read().map(ConfigKey.Stored::modRevision).orElse(0L));
            }
            return key.read().map(s -> new Reply(200, s.value(), Optional.of(s.modRevision())))
                    .orElse(new Reply(503, "the configuration vanished after it was written", Optional.empty()));
        } catch (DcsException e) {
            return new Reply(503, "the store did not answer: " + e.getMessage() + "; nothing was written",
                    Optional.empty());
        } catch (ConfigException e) {
            return new Reply(503, "the stored configuration does not parse: " + e.getMessage(), Optional.empty());
        }
    }

    private List<String> problems(ObjectNode before, ObjectNode after) {
        List<String> out = new ArrayList<>(DynamicConfig.problems(after));
        Map<String, String> params = DynamicConfig.parameters(after);
        if (!out.isEmpty() || params.equals(DynamicConfig.parameters(before))) {
            return out;
        }
        Map<String, ParameterCheck.Spec> specs;
        try {
            specs = parameterSpecs.call();
        } catch (Exception e) {
            return List.of("<postgres>: cannot check postgres.parameters: this node's Postgres does not answer ("
                    + e.getMessage() + "); ask a node whose Postgres runs");
        }
        return ParameterCheck.problems(params, specs);
    }

    private static Reply conflict(long read, long now) {
        return new Reply(409, "the configuration was changed by someone else since it was read (revision " + read
                + ", now " + now + "); nothing was written: read it again and retry", Optional.of(now));
    }

    private static long revision(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
