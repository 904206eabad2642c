package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link ClusterView} the way Patroni's {@code GET /cluster} does (members with role, state, lag); a
 * standby listed in the {@code sync} key has role {@code sync_standby}.
 */
final class ClusterJson {
    private ClusterJson() {
    }

    static Map<String, Object> cluster(ClusterView view) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scope", view.cluster());
        List<Map<String, Object>> members = new ArrayList<>();
        Lsn top = view.leaderLsn().orElse(Lsn.ZERO);
        for (MemberState m : view.members()) {
            Map<String, Object> row = new LinkedHashMap<>();
            boolean leader = view.isLeader(m.name()) && m.role() == Role.PRIMARY;
            row.put("name", m.name());
            row.put("role", leader ? "leader" : m.role() != Role.REPLICA ? "unknown"
                    : view.sync().isSynchronous(m.name()) ? "sync_standby" : "replica");
            row.put("state", state(m, leader));
            row.put("api_url", m.apiUrl());
            row.put("host", m.host());
            row.put("port", m.port());
            row.put("timeline", m.timeline());
            if (!leader) {
                row.put("lag", m.role() == Role.REPLICA ? m.lsn().bytesBehind(top) : "unknown");
            }
            row.put("tags", m.tags());
            members.add(row);
        }
        out.put("members", members);
        view.leader().ifPresent(l -> out.put("leader", l.name()));
        out.put("sync_standbys", view.sync().standbys().stream().sorted().toList());
        return out;
    }

    private static String state(MemberState m, boolean leader) {
        if (m.state() == PostgresState.RUNNING) {
            return leader || m.role() != Role.REPLICA ? "running" : "streaming";
        }
        return m.state().name().toLowerCase(java.util.Locale.ROOT);
    }
}
