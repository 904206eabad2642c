package io.pgha.core.ha;

import java.util.ArrayList;
import java.util.List;

/**
 * The forms of {@code synchronous_standby_names} pgha writes and reads: empty (asynchronous), {@code *} (any standby,
 * strict mode without a chosen one) and {@code FIRST n ("a", "b")} naming exactly the chosen standbys, so that no
 * listed standby is a mere "potential" one that Postgres could make synchronous without pgha confirming it first.
 */
public final class SyncStandbyNames {
    /** The placeholder that makes every commit wait for any standby at all (strict mode). */
    public static final String ANY = "*";

    private SyncStandbyNames() {
    }

    /** The setting for {@code names}: empty for none, {@code *} alone as is, else FIRST n with every name quoted. */
    public static String render(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        if (names.equals(List.of(ANY))) {
            return ANY;
        }
        List<String> quoted = names.stream().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").toList();
        return "FIRST " + names.size() + " (" + String.join(", ", quoted) + ")";
    }

    /** The standby names in any form Postgres accepts ({@code FIRST n (...)}, {@code ANY n (...)}, a bare list). */
    public static List<String> parse(String value) {
        String v = value == null ? "" : value.strip();
        int open = v.indexOf('(');
        if (open >= 0 && v.endsWith(")")) {
            v = v.substring(open + 1, v.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : splitOutsideQuotes(v)) {
            String p = part.strip();
            if (p.startsWith("\"") && p.endsWith("\"") && p.length() >= 2) {
                p = p.substring(1, p.length() - 1).replace("\"\"", "\"");
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> splitOutsideQuotes(String v) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : v.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }
}
