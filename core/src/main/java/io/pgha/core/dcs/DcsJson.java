package io.pgha.core.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON values of the cluster keys, in Patroni's shapes where Patroni has the key (so that its tooling reads
 * them): member {@code {role, state, api_url, host, port, timeline, xlog_location, tags}}, status
 * {@code {optime}}, sync {@code {leader, sync_standby: "a,b"}}, failover {@code {leader, member}}, history
 * {@code [[tl, lsn, reason, ts, leader], ...]}. A value that does not parse is treated as absent.
 */
final class DcsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DcsJson() {
    }

    static String member(MemberState m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("role", m.role().name().toLowerCase());
        n.put("state", m.activity().isEmpty() ? m.state().name().toLowerCase() : m.activity());
        n.put("api_url", m.apiUrl());
        n.put("host", m.host());
        n.put("port", m.port());
        n.put("timeline", m.timeline());
        n.put("xlog_location", m.lsn().value());
        if (m.pendingRestart()) {
            n.put("pending_restart", true);
        }
        ObjectNode tags = n.putObject("tags");
        m.tags().forEach(tags::put);
        return n.toString();
    }

    static Optional<MemberState> member(String name, String json) {
        return parse(json).map(n -> {
            Map<String, String> tags = new HashMap<>();
            n.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
            String state = n.path("state").asText();
            PostgresState known = enumOf(PostgresState.class, state, null);
            return new MemberState(name, enumOf(Role.class, n.path("role").asText(), Role.UNKNOWN),
                    known == null ? PostgresState.STOPPED : known,
                    n.path("api_url").asText(""), n.path("host").asText(""), n.path("port").asInt(0),
                    n.path("timeline").asLong(0), new Lsn(n.path("xlog_location").asLong(0)), tags,
                    n.path("pending_restart").asBoolean(false), known == null ? state : "");
        });
    }

    static String status(Lsn lsn) {
        return MAPPER.createObjectNode().put("optime", lsn.value()).toString();
    }

    static Optional<Lsn> status(String json) {
        return parse(json).filter(n -> n.has("optime")).map(n -> new Lsn(n.path("optime").asLong()));
    }

    static String sync(SyncState s) {
        return MAPPER.createObjectNode().put("leader", s.leader())
                .put("sync_standby", String.join(",", new java.util.TreeSet<>(s.standbys()))).toString();
    }

    static SyncState sync(String json) {
        return parse(json).map(n -> {
            Set<String> standbys = new HashSet<>();
            for (String s : n.path("sync_standby").asText("").split(",")) {
                if (!s.isBlank()) {
                    standbys.add(s.strip());
                }
            }
            return new SyncState(n.path("leader").asText(""), standbys);
        }).orElse(SyncState.empty());
    }

    static Optional<FailoverRequest> failover(String json, long modRevision) {
        return parse(json).map(n -> new FailoverRequest(text(n, "leader"), text(n, "member"),
                text(n, "scheduled_at").flatMap(DcsJson::instant), n.path("force").asBoolean(false), modRevision));
    }

    static String failover(FailoverRequest f) {
        ObjectNode n = MAPPER.createObjectNode();
        f.leader().ifPresent(l -> n.put("leader", l));
        f.candidate().ifPresent(c -> n.put("member", c));
        f.scheduledAt().ifPresent(at -> n.put("scheduled_at", at.toString()));
        if (f.force()) {
            n.put("force", true);
        }
        return n.toString();
    }

    /** Patroni keeps maintenance mode as {@code pause: true} in the dynamic configuration. */
    static boolean paused(Optional<String> config) {
        return config.flatMap(DcsJson::parse).map(n -> n.path("pause").asBoolean(false)).orElse(false);
    }

    /** {@code config} with {@code pause} set or removed; an unreadable or absent config becomes an object. */
    static String withPause(Optional<String> config, boolean pause) {
        ObjectNode n = config.flatMap(DcsJson::parse).filter(JsonNode::isObject).map(o -> (ObjectNode) o)
                .orElseGet(MAPPER::createObjectNode);
        if (pause) {
            n.put("pause", true);
        } else {
            n.remove("pause");
        }
        return n.toString();
    }

    private static Optional<java.time.Instant> instant(String text) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    static List<HistoryEntry> history(String json) {
        List<HistoryEntry> out = new ArrayList<>();
        parse(json).filter(JsonNode::isArray).ifPresent(a -> a.forEach(e -> out.add(new HistoryEntry(
                e.path(0).asLong(), new Lsn(e.path(1).asLong()), e.path(2).asText(""), e.path(3).asText(""),
                e.path(4).asText("")))));
        return out;
    }

    static String history(List<HistoryEntry> entries) {
        ArrayNode a = MAPPER.createArrayNode();
        entries.forEach(e -> a.addArray().add(e.timeline()).add(e.switchLsn().value()).add(e.reason())
                .add(e.timestamp()).add(e.newLeader()));
        return a.toString();
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name, E fallback) {
        try {
            return Enum.valueOf(type, name.toUpperCase());
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static Optional<JsonNode> parse(String json) {
        try {
            return Optional.ofNullable(MAPPER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
