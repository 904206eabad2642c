package io.pgha.core.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Patroni-compatible REST API on the JDK HTTP server (STYLE P10: thin handlers that ask
 * {@link NodeStatusService} and render). Health paths answer GET (status JSON), HEAD and OPTIONS (status line only,
 * what HAProxy's {@code option httpchk OPTIONS /primary} sends); state paths answer GET. Unknown path 404, other
 * methods 405.
 */
public final class RestApi implements AutoCloseable {
    private static final Set<String> PROBE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "pgha-rest");
        t.setDaemon(true);
        return t;
    });
    private final NodeStatusService service;
    private final String scope;
    /** {@code GET/PATCH /config} against the store, when the agent provides it. */
    private volatile ConfigEndpoint config;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    public RestApi(InetSocketAddress bind, NodeStatusService service, String scope) throws IOException {
        this.service = service;
        this.scope = scope;
        this.server = HttpServer.create(bind, 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Serves {@code /config} (GET with its revision, PATCH with validation and compare-and-set) from the store. */
    public RestApi serveConfig(ConfigEndpoint endpoint) {
        this.config = endpoint;
        return this;
    }

    public void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Adds an endpoint the node agent serves itself (the store join, the planned operations); it is consulted before
     * the built-in paths, so a route for {@code GET /cluster} would replace the built-in one.
     */
    public void route(String method, String path, Route route) {
        routes.put(method + " " + path, route);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            Route route = routes.get(method + " " + path);
            ConfigEndpoint c = config;
            if (route != null) {
                custom(ex, route, path, method);
            } else if (c != null && path.equals("/config")) {
                c.handle(ex);
            } else if (HealthChecks.isHealthPath(path)) {
                health(ex, path, method);
            } else if (Set.of("/patroni", "/cluster", "/history", "/config", "/metrics").contains(path)) {
                state(ex, path, method);
            } else {
                send(ex, 404, "application/json", "{\"error\":\"not found\"}");
            }
        }
    }

    private void health(HttpExchange ex, String path, String method) throws IOException {
        if (!PROBE_METHODS.contains(method)) {
            send(ex, 405, "application/json", "{\"error\":\"method not allowed\"}");
            return;
        }
        NodeStatus status = service.status();
        int code = HealthChecks.code(path, status, query(ex));
        send(ex, code, "application/json", method.equals("GET") ? StatusJson.node(status, scope) : null);
    }

    private void state(HttpExchange ex, String path, String method) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            send(ex, 405, "application/json", "{\"error\":\"method not allowed\"}");
            return;
        }
        Optional<String> body = switch (path) {
            case "/cluster" -> service.cluster().map(c -> StatusJson.cluster(c, service.clusterNotes()));
            case "/history" -> Optional.of(service.cluster().map(StatusJson::history).orElse("[]"));
            case "/config" -> service.cluster().flatMap(c -> c.config());
            case "/metrics" -> Optional.of(StatusJson.metrics(service.status(), scope));
            default -> Optional.of(StatusJson.node(service.status(), scope));
        };
        String type = path.equals("/metrics") ? "text/plain; version=0.0.4" : "application/json";
        send(ex, body.isPresent() ? 200 : 502, type, method.equals("HEAD") ? null : body.orElse("{}"));
    }

    private void custom(HttpExchange ex, Route route, String path, String method) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        Reply reply;
        try {
            reply = route.handle(new Request(method, path, query(ex), headers, body));
        } catch (RuntimeException e) {
            reply = new Reply(500, "text/plain; charset=utf-8", path + " failed: " + e.getMessage() + "\n");
        }
        send(ex, reply.code(), reply.type(), method.equals("HEAD") ? null : reply.body());
    }

    /** A request to an agent-served endpoint; header names are lower case. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
                          String body) {
    }

    /** The answer of an agent-served endpoint. */
    public record Reply(int code, String type, String body) {
        public static Reply text(int code, String message) {
            return new Reply(code, "text/plain; charset=utf-8", message.endsWith("\n") ? message : message + "\n");
        }

        public static Reply json(int code, String json) {
            return new Reply(code, "application/json", json);
        }
    }

    /** An agent-served endpoint. */
    @FunctionalInterface
    public interface Route {
        Reply handle(Request request);
    }

    /** Sends the status line and, when {@code body} is not null, the body. */
    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        if (body == null) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
