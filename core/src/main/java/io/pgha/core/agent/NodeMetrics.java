package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.ha.LocalView;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import io.pgha.proxy.ProxyStats;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /metrics}: the last HA cycle in the Prometheus text exposition format (version 0.0.4), every metric
 * with {@code # HELP} and {@code # TYPE}, named {@code pgha_*} and labelled with the cluster ({@code scope}) and member
 * ({@code name}). Before the first cycle only {@code pgha_ha_cycle_completed 0} is exposed.
 */
final class NodeMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private NodeMetrics() {
    }

    static String render(Optional<NodeStatus> last, Optional<ProxyStats> proxy) {
        String labels = last.map(s -> "{scope=\"" + escape(s.cluster().cluster()) + "\",name=\""
                + escape(s.local().name()) + "\"}").orElse("");
        return node(last) + proxy.map(p -> proxy(p, labels)).orElse("");
    }

    /** The proxy's routing and per-listener counters (its own stats port has the per-backend ones). */
    static String proxy(ProxyStats p, String labels) {
        StringBuilder out = new StringBuilder();
        gauge(out, "pgha_proxy_routing_generation", "Generation of the proxy's routing table in force", labels,
                p.generation());
        gauge(out, "pgha_proxy_rw_fail_closed", "1 while the proxy refuses RW because the leader is unconfirmed",
                labels, p.rwFailClosed() ? 1 : 0);
        String inner = labels.isEmpty() ? "{" : labels.substring(0, labels.length() - 1) + ",";
        help(out, "pgha_proxy_listener_sessions", "Client sessions open per proxy listener", "gauge");
        p.listeners().forEach(l -> out.append("pgha_proxy_listener_sessions").append(inner).append("listener=\"")
                .append(l.listener().label()).append("\"} ").append(l.current()).append('\n'));
        help(out, "pgha_proxy_sessions_total", "Client sessions ever accepted per proxy listener", "counter");
        p.listeners().forEach(l -> out.append("pgha_proxy_sessions_total").append(inner).append("listener=\"")
                .append(l.listener().label()).append("\"} ").append(l.total()).append('\n'));
        help(out, "pgha_proxy_connections_refused_total", "Client connections refused per proxy listener", "counter");
        p.listeners().forEach(l -> out.append("pgha_proxy_connections_refused_total").append(inner)
                .append("listener=\"").append(l.listener().label()).append("\"} ").append(l.refused())
                .append('\n'));
        return out.toString();
    }

    private static String node(Optional<NodeStatus> last) {
        StringBuilder out = new StringBuilder();
        if (last.isEmpty()) {
            gauge(out, "pgha_ha_cycle_completed", "An HA cycle has completed since the agent started", "", 0);
            return out.toString();
        }
        NodeStatus s = last.get();
        LocalView local = s.local();
        ClusterView view = s.cluster();
        String labels = "{scope=\"" + escape(view.cluster()) + "\",name=\"" + escape(local.name()) + "\"}";
        boolean running = local.state() == PostgresState.RUNNING;
        gauge(out, "pgha_ha_cycle_completed", "An HA cycle has completed since the agent started", labels, 1);
        gauge(out, "pgha_ha_last_cycle_timestamp_seconds", "When the last HA cycle read the store (Unix time)",
                labels, s.at().getEpochSecond());
        gauge(out, "pgha_postgres_running", "Postgres is running and answering", labels, running ? 1 : 0);
        String state = local.state().name().toLowerCase(Locale.ROOT);
        help(out, "pgha_postgres_state", "The Postgres state of this node, 1 for the current state label", "gauge");
        for (PostgresState p : PostgresState.values()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            out.append("pgha_postgres_state").append(labels, 0, labels.length() - 1).append(",state=\"")
                    .append(name).append("\"} ").append(name.equals(state) ? 1 : 0).append('\n');
        }
        gauge(out, "pgha_primary", "This node runs as primary and holds the leader key", labels,
                s.isPrimaryWithKey() ? 1 : 0);
        gauge(out, "pgha_replica", "This node runs as a replica", labels, local.isRunningReplica() ? 1 : 0);
        gauge(out, "pgha_leader_key_held", "This node holds the leader key", labels,
                view.isLeader(local.name()) ? 1 : 0);
        gauge(out, "pgha_cluster_unlocked", "No member holds the leader key", labels,
                view.leader().isEmpty() ? 1 : 0);
        gauge(out, "pgha_cluster_members", "Members with a live record in the store", labels, view.members().size());
        gauge(out, "pgha_postgres_timeline", "Postgres timeline", labels, local.timeline());
        boolean primary = running && local.role() == Role.PRIMARY;
        gauge(out, "pgha_xlog_location", "Primary WAL write position (bytes)", labels,
                primary ? local.lsn().value() : 0);
        gauge(out, "pgha_xlog_received_location", "Replica WAL received (else replayed) position (bytes)", labels,
                primary ? 0 : local.lsn().value());
        long lag = local.isRunningReplica() ? local.lsn().bytesBehind(view.leaderLsn().orElse(Lsn.ZERO)) : 0;
        gauge(out, "pgha_replication_lag_bytes", "Bytes this replica is behind the primary's last published"
                + " position", labels, Math.max(0, lag));
        gauge(out, "pgha_pending_restart", "A changed Postgres parameter waits for a restart", labels,
                view.member(local.name()).map(MemberState::pendingRestart).orElse(false) ? 1 : 0);
        return out.toString();
    }

    private static void help(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, long value) {
        help(out, name, help, "gauge");
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** Label values escape backslash, double quote and newline. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
