package io.pgha.core.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoints on {@code rest.port}: the Patroni health checks load balancers probe ({@code /primary},
 * {@code /replica}, {@code /health}, {@code /liveness}, {@code /readiness}), {@code GET /cluster} for
 * {@code pgha list}, and {@code POST /cluster/members} for joining nodes. Handlers only read the last
 * {@link NodeStatus} or call {@link JoinService} (STYLE P10). A stand-in until the {@code rest} package serves these.
 */
public final class AgentHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Supplier<Optional<NodeStatus>> status;
    private final JoinService join;
    private volatile Supplier<List<String>> witnesses = List::of;

    public AgentHttpServer(String host, int port, Supplier<Optional<NodeStatus>> status, JoinService join)
            throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.status = status;
        this.join = join;
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "pgha-rest");
            t.setDaemon(true);
            return t;
        }));
        check("/primary", NodeStatus::isPrimaryWithKey);
        check("/master", NodeStatus::isPrimaryWithKey);
        check("/leader", NodeStatus::isPrimaryWithKey);
        check("/replica", s -> s.isRunningReplica() && !s.cluster().isLeader(s.local().name()));
        check("/read-only", s -> s.local().state() == io.pgha.core.postgres.PostgresState.RUNNING);
        check("/health", s -> s.local().state() == io.pgha.core.postgres.PostgresState.RUNNING);
        check("/readiness", s -> s.local().state() == io.pgha.core.postgres.PostgresState.RUNNING);
        server.createContext("/liveness", ex -> send(ex, 200, Map.of("status", "alive")));
        server.createContext("/cluster", this::cluster);
        server.createContext("/", ex -> send(ex, status.get().isPresent() ? 200 : 503, node()));
    }

    /**
     * Serves this node as a witness ({@code pgha witness}): {@code /health} answers 200 while the store member runs
     * and knows a Raft leader, and the node document says role {@code witness}. Call before {@link #start()}.
     */
    public void serveWitness(String name, BooleanSupplier storeUp) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", name);
        doc.put("role", "witness");
        for (String path : List.of("/health", "/liveness", "/readiness")) {
            server.removeContext(path);
            server.createContext(path, ex -> send(ex, storeUp.getAsBoolean() ? 200 : 503, witnessDoc(doc, storeUp)));
        }
        server.removeContext("/");
        server.createContext("/", ex -> send(ex, 200, witnessDoc(doc, storeUp)));
    }

    private static Map<String, Object> witnessDoc(Map<String, Object> doc, BooleanSupplier storeUp) {
        Map<String, Object> out = new LinkedHashMap<>(doc);
        out.put("state", storeUp.getAsBoolean() ? "running" : "no store leader");
        return out;
    }

    /** Where {@code /cluster} learns the live witnesses (the store's {@code witnesses/} keys). */
    public void showWitnesses(Supplier<List<String>> reader) {
        this.witnesses = reader;
    }

    private List<String> readWitnesses() {
        try {
            return witnesses.get();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void check(String path, Predicate<NodeStatus> healthy) {
        server.createContext(path, ex -> {
            boolean ok = status.get().map(healthy::test).orElse(false);
            send(ex, ok ? 200 : 503, node());
        });
    }

    private void cluster(HttpExchange ex) throws IOException {
        if ("POST".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().equals("/cluster/members")) {
            Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            JoinService.Result r = join.join(form.get("name"), form.get("peer"), form.getOrDefault("client", ""),
                    ex.getRequestHeaders().getFirst(JoinClient.TOKEN_HEADER));
            sendText(ex, r.status(), r.message());
            return;
        }
        Optional<NodeStatus> s = status.get();
        if (s.isEmpty()) {
            send(ex, 503, Map.of("error", "no HA cycle has completed yet"));
            return;
        }
        Map<String, Object> body = ClusterJson.cluster(s.get().cluster());
        List<String> store = join.members();
        body.put("store_members", store);
        body.put("witnesses", QuorumAdvice.witnesses(store, readWitnesses()));
        body.put("warnings", QuorumAdvice.warning(store).map(List::of).orElse(List.of()));
        send(ex, 200, body);
    }

    private Map<String, Object> node() {
        Map<String, Object> out = new LinkedHashMap<>();
        status.get().ifPresent(s -> {
            out.put("name", s.local().name());
            out.put("state", s.local().state().name().toLowerCase(java.util.Locale.ROOT));
            out.put("role", s.isPrimaryWithKey() ? "primary" : s.local().role().name().toLowerCase(
                    java.util.Locale.ROOT));
            out.put("timeline", s.local().timeline());
            out.put("xlog_location", s.local().lsn().toString());
            out.put("last_decision", s.decision().describe());
        });
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int code, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        reply(ex, code, bytes);
    }

    private static void sendText(HttpExchange ex, int code, String text) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        reply(ex, code, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange ex, int code, byte[] bytes) throws IOException {
        boolean head = "HEAD".equals(ex.getRequestMethod()) || "OPTIONS".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
