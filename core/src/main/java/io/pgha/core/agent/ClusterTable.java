package io.pgha.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the REST {@code /cluster} document as {@code patronictl list} does: one row per member with host, role,
 * state, timeline, lag in MB and pending restart, the leader first.
 */
public final class ClusterTable {
    private static final String[] HEADER = {"Member", "Host", "Role", "State", "TL", "Lag in MB", "Pending restart"};

    private ClusterTable() {
    }

    /** The table for {@code cluster} (the parsed {@code /cluster} JSON). */
    public static String render(JsonNode cluster) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode m : cluster.path("members")) {
            String role = m.path("role").asText();
            String shown = role.equals("leader") ? "Leader" : role.equals("sync_standby") ? "Sync Standby"
                    : capital(role);
            rows.add(new String[] {m.path("name").asText(), m.path("host").asText() + ":" + m.path("port").asText(),
                shown, m.path("state").asText(),
                m.path("timeline").asText(), lag(m.path("lag")), m.path("pending_restart").asBoolean() ? "*" : ""});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        String title = "+ Cluster: " + cluster.path("scope").asText() + " ";
        String line = separator(width);
        out.append(title).append(line.substring(Math.min(title.length(), line.length() - 1))).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            out.append('|');
            for (int i = 0; i < width.length; i++) {
                out.append(' ').append(pad(rows.get(r)[i], width[i])).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append(line).append('\n');
            }
        }
        out.append(line).append('\n');
        if (cluster.path("pause").asBoolean(false)) {
            out.append(" Maintenance mode: on\n");
        }
        if (cluster.has("scheduled_switchover")) {
            JsonNode s = cluster.path("scheduled_switchover");
            out.append(" Switchover scheduled at: ").append(s.path("at").asText()).append(" from: ")
                    .append(s.path("from").asText()).append(" to: ").append(s.path("to").asText("best candidate"))
                    .append('\n');
        }
        List<String> witnesses = new ArrayList<>();
        cluster.path("witnesses").forEach(w -> witnesses.add(w.asText()));
        if (!witnesses.isEmpty()) {
            out.append("Witness: ").append(String.join(", ", witnesses)).append(" (store-only voter)\n");
        }
        cluster.path("warnings").forEach(w -> out.append("WARNING: ").append(w.asText()).append('\n'));
        return out.toString();
    }

    private static String separator(int[] width) {
        StringBuilder s = new StringBuilder("+");
        for (int w : width) {
            s.append("-".repeat(w + 2)).append('+');
        }
        return s.toString();
    }

    private static String lag(JsonNode lag) {
        if (lag.isMissingNode()) {
            return "";
        }
        return lag.isNumber() ? String.valueOf(lag.asLong() / (1024 * 1024)) : lag.asText();
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
