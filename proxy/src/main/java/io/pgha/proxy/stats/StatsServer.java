package io.pgha.proxy.stats;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgha.proxy.ProxyStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stats listener: {@code GET /} (HTML, refreshes itself every 2 s), {@code GET /stats.json} and
 * {@code GET /metrics} (Prometheus text). Runs on the JDK's HTTP server with one thread of its own, off the proxy's
 * event loops, so a slow browser never delays a proxied byte.
 */
public final class StatsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private StatsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and starts serving snapshots from {@code stats}. */
    public static StatsServer start(InetSocketAddress address, Supplier<ProxyStats> stats) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pgha-proxy-stats");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, stats));
        server.start();
        return new StatsServer(server, executor);
    }

    private static void serve(HttpExchange exchange, Supplier<ProxyStats> stats) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "method not allowed\n");
                return;
            }
            switch (path) {
                case "/" -> respond(exchange, 200, "text/html; charset=utf-8", StatsPage.render(stats.get()));
                case "/stats.json" -> respond(exchange, 200, "application/json", StatsJson.render(stats.get()));
                case "/metrics" -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        PrometheusText.render(stats.get()));
                default -> respond(exchange, 404, "text/plain", "not found\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("stats request failed", e);
        }
    }

    private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
