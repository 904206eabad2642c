package io.pgha.proxy.stats;

import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxyStats;

/** {@code GET /}: one self-refreshing HTML page (every 2 s), no scripts, no external resources. */
final class StatsPage {
    private StatsPage() {
    }

    static String render(ProxyStats s) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">")
                .append("<title>pgha proxy</title><style>body{font-family:sans-serif;margin:1.5em}")
                .append("table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;")
                .append("padding:.25em .6em;text-align:right}th{background:#eee}td.l{text-align:left}")
                .append(".bad{background:#f88;font-weight:bold}.ok{background:#8d8}</style></head><body>");
        b.append("<h1>pgha proxy</h1><p>").append(esc(s.at().toString())).append(" &middot; routing ")
                .append(esc(s.table())).append("</p>");
        String gateClass = "OPEN".equals(s.rwGate()) ? "ok" : "bad";
        b.append("<p>RW: <span class=\"").append(gateClass).append("\">").append(esc(s.rwGate())).append("</span>");
        if (s.rwFailClosed()) {
            b.append(" &mdash; RW is failed closed: the store has not confirmed the leader since ")
                    .append(esc(s.leaderConfirmedAt().toString()));
        } else {
            b.append(" &middot; leader confirmed ").append(esc(s.leaderConfirmedAt().toString()));
        }
        b.append("</p>");
        listeners(b, s);
        backends(b, s);
        b.append("<h2>Recent changes</h2><table><tr><th>at</th><th>generation</th><th>why</th></tr>");
        for (ProxyStats.Change c : s.changes()) {
            b.append("<tr><td class=\"l\">").append(esc(c.at().toString())).append("</td><td>").append(c.generation())
                    .append("</td><td class=\"l\">").append(esc(c.why())).append("</td></tr>");
        }
        b.append("</table><p>pending write bytes ").append(s.pendingWriteBytes()).append(" (max ")
                .append(s.maxPendingWriteBytes()).append("), backpressure pauses ").append(s.backpressurePauses())
                .append(" &middot; <a href=\"stats.json\">stats.json</a> &middot; <a href=\"metrics\">metrics</a>")
                .append("</p></body></html>\n");
        return b.toString();
    }

    private static void listeners(StringBuilder b, ProxyStats s) {
        b.append("<h2>Listeners</h2><table><tr><th>listener</th><th>port</th><th>sessions</th><th>held</th>")
                .append("<th>total</th><th>refused</th></tr>");
        for (ProxyStats.ListenerStats l : s.listeners()) {
            b.append("<tr><td class=\"l\">").append(l.listener().label()).append("</td><td>").append(l.port())
                    .append("</td><td>").append(l.current()).append("</td><td>").append(l.held())
                    .append("</td><td>").append(l.total()).append("</td><td>").append(l.refused()).append("</td></tr>");
        }
        b.append("</table>");
    }

    private static void backends(StringBuilder b, ProxyStats s) {
        b.append("<h2>Backends</h2><table><tr><th>member</th><th>address</th><th>role</th><th>state</th>")
                .append("<th>lag bytes</th><th>noloadbalance</th><th>rw sessions</th><th>ro sessions</th>")
                .append("<th>total</th><th>bytes to</th><th>bytes from</th></tr>");
        for (ProxyStats.BackendStats be : s.backends()) {
            b.append("<tr><td class=\"l\">").append(esc(be.member())).append("</td><td class=\"l\">")
                    .append(esc(be.host())).append(':').append(be.port()).append("</td><td class=\"l\">")
                    .append(esc(be.role())).append("</td><td class=\"l\">").append(esc(be.state()))
                    .append("</td><td>").append(be.lagBytes()).append("</td><td>").append(be.noLoadBalance())
                    .append("</td><td>").append(be.current(Listener.RW)).append("</td><td>")
                    .append(be.current(Listener.RO)).append("</td><td>").append(be.total()).append("</td><td>")
                    .append(be.bytesToBackend()).append("</td><td>").append(be.bytesFromBackend())
                    .append("</td></tr>");
        }
        b.append("</table>");
    }

    /** HTML text escaping: member names and reasons come from configuration, not from us. */
    static String esc(String v) {
        return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
