package io.pgha.proxy.net;

import io.pgha.proxy.Backend;
import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxyStats.BackendStats;
import io.pgha.proxy.RoutingTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joins the table's backends with the traffic counters into the per-backend rows of the statistics. */
final class BackendStatsView {
    private BackendStatsView() {
    }

    /** Rows for every backend of the table (RW first), then for members no longer in the table but counted. */
    static List<BackendStats> of(RoutingTable table, Map<String, BackendCounters> counters,
                                Map<String, Map<Listener, Long>> open) {
        Map<String, Backend> inTable = new LinkedHashMap<>();
        table.rw().ifPresent(b -> inTable.put(b.member(), b));
        table.ro().forEach(b -> inTable.putIfAbsent(b.member(), b));
        List<BackendStats> rows = new ArrayList<>();
        for (Backend b : inTable.values()) {
            BackendCounters c = counters.getOrDefault(b.member(), new BackendCounters());
            rows.add(new BackendStats(b.member(), b.host(), b.port(), b.role().name(), b.state().name(), b.lagBytes(),
                    b.noLoadBalance(), true, open.getOrDefault(b.member(), Map.of()), c.total,
                    c.bytesToBackend.sum(), c.bytesFromBackend.sum()));
        }
        counters.forEach((member, c) -> {
            if (!inTable.containsKey(member)) {
                rows.add(new BackendStats(member, "", 0, "GONE", "UNKNOWN", 0, false, false,
                        open.getOrDefault(member, Map.of()), c.total,
                        c.bytesToBackend.sum(), c.bytesFromBackend.sum()));
            }
        });
        return rows;
    }
}
