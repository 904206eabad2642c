package io.pgha.core.rest;

import io.pgha.core.postgres.Role;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Patroni's health-check rules (patroni/api.py): which status code a probe of a path gets for a node status and the
 * query parameters {@code lag} (bytes, or 16kB/10MB/1GB) and {@code tag_<k>=<v>}. Pure; 200 or 503.
 */
public final class HealthChecks {
    /** The health paths, each with its "200 when" rule. */
    static final Map<String, BiPredicate<NodeStatus, Map<String, String>>> RULES = Map.ofEntries(
            Map.entry("/", (s, q) -> isPrimary(s)),
            Map.entry("/primary", (s, q) -> isPrimary(s)),
            Map.entry("/master", (s, q) -> isPrimary(s)),
            Map.entry("/read-write", (s, q) -> isPrimary(s)),
            Map.entry("/leader", (s, q) -> s.holdsLeaderKey() && s.running()),
            Map.entry("/replica", HealthChecks::isHealthyReplica),
            Map.entry("/read-only", (s, q) -> isPrimary(s) || isHealthyReplica(s, q)),
            Map.entry("/sync", (s, q) -> isHealthyReplica(s, q) && s.syncStandby()),
            Map.entry("/synchronous", (s, q) -> isHealthyReplica(s, q) && s.syncStandby()),
            Map.entry("/async", (s, q) -> isHealthyReplica(s, q) && !s.syncStandby()),
            Map.entry("/asynchronous", (s, q) -> isHealthyReplica(s, q) && !s.syncStandby()),
            Map.entry("/health", (s, q) -> s.running()),
            Map.entry("/liveness", (s, q) -> s.loopAlive()),
            Map.entry("/readiness", HealthChecks::isReady));

    private HealthChecks() {
    }

    static boolean isHealthPath(String path) {
        return RULES.containsKey(path);
    }

    /** 200 if the rule for {@code path} holds, else 503. */
    public static int code(String path, NodeStatus s, Map<String, String> query) {
        return RULES.get(path).test(s, query) ? 200 : 503;
    }

    private static boolean isPrimary(NodeStatus s) {
        return s.running() && s.role() == Role.PRIMARY && s.holdsLeaderKey();
    }

    /** Running replica, not noloadbalance, within {@code ?lag=}, matching every {@code tag_k=v}. */
    private static boolean isHealthyReplica(NodeStatus s, Map<String, String> q) {
        if (!s.running() || s.role() != Role.REPLICA || isTrue(s.tags().get("noloadbalance"))) {
            return false;
        }
        if (q.containsKey("lag")) {
            Optional<Long> limit = parseSize(q.get("lag"));
            if (limit.isPresent() && s.lagBytes().orElse(Long.MAX_VALUE) > limit.get()) {
                return false;
            }
        }
        if ("streaming".equals(q.get("replication_state")) && !s.streaming()) {
            return false;
        }
        return tagsMatch(s, q);
    }

    private static boolean isReady(NodeStatus s, Map<String, String> q) {
        if (s.holdsLeaderKey()) {
            return s.running();
        }
        long limit = Optional.ofNullable(q.get("lag")).flatMap(HealthChecks::parseSize)
                .orElse(s.maximumLagOnFailover());
        return s.running() && s.role() == Role.REPLICA && s.lagBytes().orElse(Long.MAX_VALUE) <= limit;
    }

    private static boolean tagsMatch(NodeStatus s, Map<String, String> q) {
        for (Map.Entry<String, String> e : q.entrySet()) {
            if (e.getKey().startsWith("tag_")) {
                String have = s.tags().get(e.getKey().substring(4));
                if (have == null || !have.toLowerCase(Locale.ROOT).equals(e.getValue().toLowerCase(Locale.ROOT))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Bytes, or a number with kB, MB, GB, TB (1024-based, as Postgres and Patroni). Empty if unparsable. */
    static Optional<Long> parseSize(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(B|kB|MB|GB|TB)?\\s*")
                .matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit) {
            case "kB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> 0;
        };
        return Optional.of(n << shift);
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on") || v.equalsIgnoreCase("yes"));
    }
}
