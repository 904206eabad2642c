package io.pgha.proxy.stats;

import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxyStats;

/** {@code /metrics}: the snapshot in the Prometheus text exposition format 0.0.4. */
final class PrometheusText {
    private PrometheusText() {
    }

    static String render(ProxyStats s) {
        StringBuilder b = new StringBuilder(2048);
        help(b, "pgha_proxy_routing_generation", "gauge", "Generation of the routing table in force.");
        b.append("pgha_proxy_routing_generation ").append(s.generation()).append('\n');
        help(b, "pgha_proxy_rw_fail_closed", "gauge", "1 while RW is refused because the leader is unconfirmed.");
        b.append("pgha_proxy_rw_fail_closed ").append(s.rwFailClosed() ? 1 : 0).append('\n');
        help(b, "pgha_proxy_listener_sessions", "gauge", "Client sessions open per listener.");
        s.listeners().forEach(l -> b.append("pgha_proxy_listener_sessions{listener=\"").append(l.listener().label())
                .append("\"} ").append(l.current()).append('\n'));
        help(b, "pgha_proxy_held_sessions", "gauge", "RW sessions held during a switchover.");
        s.listeners().forEach(l -> b.append("pgha_proxy_held_sessions{listener=\"").append(l.listener().label())
                .append("\"} ").append(l.held()).append('\n'));
        help(b, "pgha_proxy_connections_refused_total", "counter", "Client connections refused per listener.");
        s.listeners().forEach(l -> b.append("pgha_proxy_connections_refused_total{listener=\"")
                .append(l.listener().label()).append("\"} ").append(l.refused()).append('\n'));
        help(b, "pgha_proxy_sessions", "gauge", "Sessions open per listener and backend.");
        s.backends().forEach(be -> {
            for (Listener l : Listener.values()) {
                b.append("pgha_proxy_sessions{listener=\"").append(l.label()).append("\",backend=\"")
                        .append(esc(be.member())).append("\"} ").append(be.current(l)).append('\n');
            }
        });
        help(b, "pgha_proxy_sessions_total", "counter", "Sessions ever opened per backend.");
        s.backends().forEach(be -> b.append("pgha_proxy_sessions_total{backend=\"").append(esc(be.member()))
                .append("\"} ").append(be.total()).append('\n'));
        help(b, "pgha_proxy_bytes_total", "counter", "Bytes relayed per backend and direction.");
        s.backends().forEach(be -> {
            b.append("pgha_proxy_bytes_total{backend=\"").append(esc(be.member()))
                    .append("\",direction=\"to_backend\"} ")
                    .append(be.bytesToBackend()).append('\n');
            b.append("pgha_proxy_bytes_total{backend=\"").append(esc(be.member()))
                    .append("\",direction=\"from_backend\"} ").append(be.bytesFromBackend()).append('\n');
        });
        help(b, "pgha_proxy_pending_write_bytes", "gauge", "Bytes queued in proxied channels.");
        b.append("pgha_proxy_pending_write_bytes ").append(s.pendingWriteBytes()).append('\n');
        help(b, "pgha_proxy_backpressure_pauses_total", "counter", "Times a side stopped reading for its peer.");
        b.append("pgha_proxy_backpressure_pauses_total ").append(s.backpressurePauses()).append('\n');
        return b.toString();
    }

    private static void help(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and newline. */
    static String esc(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
