package io.pgha.proxy.stats;

import io.pgha.proxy.ProxyStats;
import java.util.List;
import java.util.function.Function;

/** {@code /stats.json}: the snapshot as JSON, field names as in {@link ProxyStats}. Hand-written: no JSON library. */
final class StatsJson {
    private StatsJson() {
    }

    static String render(ProxyStats s) {
        StringBuilder b = new StringBuilder(1024);
        b.append("{\"at\":").append(str(s.at().toString()))
                .append(",\"generation\":").append(s.generation())
                .append(",\"table\":").append(str(s.table()))
                .append(",\"rwGate\":").append(str(s.rwGate()))
                .append(",\"rwFailClosed\":").append(s.rwFailClosed())
                .append(",\"leaderConfirmedAt\":").append(str(s.leaderConfirmedAt().toString()))
                .append(",\"pendingWriteBytes\":").append(s.pendingWriteBytes())
                .append(",\"maxPendingWriteBytes\":").append(s.maxPendingWriteBytes())
                .append(",\"backpressurePauses\":").append(s.backpressurePauses());
        b.append(",\"listeners\":").append(array(s.listeners(), l -> "{\"listener\":" + str(l.listener().label())
                + ",\"port\":" + l.port() + ",\"current\":" + l.current() + ",\"total\":" + l.total()
                + ",\"refused\":" + l.refused() + ",\"held\":" + l.held() + "}"));
        b.append(",\"backends\":").append(array(s.backends(), StatsJson::backend));
        b.append(",\"changes\":").append(array(s.changes(), c -> "{\"at\":" + str(c.at().toString())
                + ",\"generation\":" + c.generation() + ",\"why\":" + str(c.why()) + "}"));
        return b.append("}\n").toString();
    }

    private static String backend(ProxyStats.BackendStats b) {
        return "{\"member\":" + str(b.member()) + ",\"host\":" + str(b.host()) + ",\"port\":" + b.port()
                + ",\"role\":" + str(b.role()) + ",\"state\":" + str(b.state()) + ",\"lagBytes\":" + b.lagBytes()
                + ",\"noLoadBalance\":" + b.noLoadBalance() + ",\"inTable\":" + b.inTable()
                + ",\"current\":" + b.current() + ",\"total\":" + b.total()
                + ",\"bytesToBackend\":" + b.bytesToBackend() + ",\"bytesFromBackend\":" + b.bytesFromBackend() + "}";
    }

    private static <T> String array(List<T> items, Function<T, String> one) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            b.append(i == 0 ? "" : ",").append(one.apply(items.get(i)));
        }
        return b.append(']').toString();
    }

    /** A JSON string literal, escaping what RFC 8259 requires. */
    static String str(String v) {
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
