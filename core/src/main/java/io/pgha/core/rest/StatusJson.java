package io.pgha.core.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.Role;
import java.util.Map;

/** The response bodies, in Patroni's shapes: node status, {@code /cluster}, {@code /history}, {@code /metrics}. */
final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {
    }

    /** Patroni's node status: state, role, timeline, xlog{...}, tags, patroni{scope,name}. */
    static String node(NodeStatus s, String scope) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("state", s.state().name().toLowerCase());
        n.put("role", s.role() == Role.PRIMARY ? "primary" : s.role() == Role.REPLICA ? "replica" : "uninitialized");
        if (s.timeline() > 0) {
            n.put("timeline", s.timeline());
        }
        ObjectNode xlog = n.putObject("xlog");
        s.writeLsn().ifPresent(l -> xlog.put("location", l.value()));
        s.receivedLsn().ifPresent(l -> xlog.put("received_location", l.value()));
        s.replayedLsn().ifPresent(l -> xlog.put("replayed_location", l.value()));
        if (s.role() == Role.REPLICA && s.syncStandby()) {
            n.put("sync_standby", true);
        }
        ObjectNode tags = n.putObject("tags");
        s.tags().forEach(tags::put);
        n.putObject("patroni").put("scope", scope).put("name", s.name());
        return n.toString();
    }

    /** Patroni's {@code /cluster}: members with role leader / sync_standby / replica and lag in bytes. */
    static String cluster(ClusterView c, Map<String, java.util.List<String>> notes) {
        ObjectNode n = MAPPER.createObjectNode();
        ArrayNode members = n.putArray("members");
        for (MemberState m : c.members()) {
            ObjectNode o = members.addObject();
            o.put("name", m.name());
            o.put("role", c.isLeader(m.name()) ? "leader" : c.sync().isSynchronous(m.name()) ? "sync_standby"
                    : "replica");
            // A member busy without a running Postgres (a clone) publishes what it does as its state, as Patroni.
            o.put("state", !m.activity().isEmpty() ? m.activity()
                    : m.isRunning() && m.role() == Role.REPLICA && !c.isLeader(m.name()) ? "streaming"
                    : m.state().name().toLowerCase());
            o.put("api_url", m.apiUrl());
            o.put("host", m.host());
            o.put("port", m.port());
            o.put("timeline", m.timeline());
            if (!c.isLeader(m.name())) {
                o.put("lag", c.leaderLsn().map(m.lsn()::bytesBehind).orElse(0L));
            }
            if (m.pendingRestart()) {
                o.put("pending_restart", true);
            }
            ObjectNode tags = o.putObject("tags");
            m.tags().forEach(tags::put);
        }
        n.put("scope", c.cluster());
        ArrayNode sync = n.putArray("sync_standbys");
        c.sync().standbys().stream().sorted().forEach(sync::add);
        notes.forEach((k, v) -> v.forEach(n.withArray(k)::add));
        c.leader().ifPresent(l -> n.put("leader", l.name()));
        if (c.paused()) {
            n.put("pause", true);
        }
        c.failover().flatMap(f -> f.scheduledAt().map(at -> Map.entry(f, at))).ifPresent(e -> {
            ObjectNode s = n.putObject("scheduled_switchover").put("at", e.getValue().toString());
            e.getKey().leader().ifPresent(l -> s.put("from", l));
            e.getKey().candidate().ifPresent(to -> s.put("to", to));
        });
        return n.toString();
    }

    static String history(ClusterView c) {
        ArrayNode a = MAPPER.createArrayNode();
        c.history().forEach(e -> a.addArray().add(e.timeline()).add(e.switchLsn().value()).add(e.reason())
                .add(e.timestamp()).add(e.newLeader()));
        return a.toString();
    }

    /** Prometheus text exposition, Patroni's metric names with a {@code pgha_} prefix. */
    static String metrics(NodeStatus s, String scope) {
        String labels = "{scope=\"" + scope + "\",name=\"" + s.name() + "\"}";
        StringBuilder out = new StringBuilder();
        gauge(out, "pgha_postgres_running", "Postgres is running", labels, s.running() ? 1 : 0);
        gauge(out, "pgha_primary", "This node is the primary holding the leader key", labels,
                s.role() == Role.PRIMARY && s.holdsLeaderKey() ? 1 : 0);
        gauge(out, "pgha_replica", "This node is a running replica", labels,
                s.role() == Role.REPLICA && s.running() ? 1 : 0);
        gauge(out, "pgha_sync_standby", "This node is a synchronous standby", labels, s.syncStandby() ? 1 : 0);
        gauge(out, "pgha_postgres_timeline", "Postgres timeline", labels, s.timeline());
        gauge(out, "pgha_xlog_location", "Primary WAL write position", labels, s.writeLsn().map(Lsn::value).orElse(0L));
        gauge(out, "pgha_xlog_received_location", "Replica WAL received position", labels,
                s.receivedLsn().map(Lsn::value).orElse(0L));
        gauge(out, "pgha_xlog_replayed_location", "Replica WAL replayed position", labels,
                s.replayedLsn().map(Lsn::value).orElse(0L));
        gauge(out, "pgha_replication_lag_bytes", "Bytes behind the last published primary position", labels,
                s.lagBytes().orElse(0L));
        gauge(out, "pgha_postgres_streaming", "The WAL receiver is streaming", labels, s.streaming() ? 1 : 0);
        gauge(out, "pgha_ha_loop_alive", "The HA loop ran recently", labels, s.loopAlive() ? 1 : 0);
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(labels).append(' ').append(value).append('\n');
    }
}
