package io.pgha.core.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders the pgha-managed configuration: {@code pgha.conf} (included from postgresql.conf) and pg_hba.conf. Pure
 * text in, text out; {@link PostgresConfigFiles} writes them. Secrets never appear: primary_conninfo names the
 * passfile.
 */
public final class ConfigRenderer {
    /** Replication slots are named after members; Postgres allows lower-case letters, digits and underscores. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:\\-]+");
    /** postgresql.conf takes identifiers and plain integers unquoted; addresses, paths and sizes get quotes. */
    private static final Pattern BARE_GUC = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|[0-9]+");
    /** The file holding the cluster-wide {@code postgres.parameters} from the store, included by pgha.conf. */
    public static final String DYNAMIC_CONF = "pgha.dynamic.conf";

    private static final String HEADER = "# Managed by pgha: changes here are overwritten. Set postgres.parameters"
            + " (or pgha edit-config) instead.\n";

    private ConfigRenderer() {
    }

    /**
     * The parameters pgha needs for replication and failover, then the user's (which may override the tunables, not
     * the addresses), then the recovery settings when this node follows an upstream.
     */
    public static String postgresqlConf(PostgresSettings s, String memberName, Optional<Upstream> upstream) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listen_addresses", s.listen());
        p.put("port", String.valueOf(s.port()));
        p.put("unix_socket_directories", s.socketDir().toString());
        p.put("wal_level", "replica");
        p.put("hot_standby", "on");
        p.put("wal_log_hints", "on");
        p.put("max_wal_senders", "10");
        p.put("max_replication_slots", "10");
        p.put("wal_keep_size", "128MB");
        // A standby whose upstream went away retries only after this interval (default 5 s), and a promote request
        // that lands while it sets up that wait is noticed only when the wait ends: seen as 5 s pg_ctl promotes and
        // 5 s late rejoins (a new primary creates the follower's slot a cycle after its promotion).
        p.put("wal_retrieve_retry_interval", "500ms");
        p.put("password_encryption", "scram-sha-256");
        p.put("cluster_name", memberName);
        new TreeMap<>(s.parameters()).forEach((k, v) -> {
            if (!k.equals("listen_addresses") && !k.equals("port") && !k.equals("unix_socket_directories")) {
                p.put(k, v);
            }
        });
        upstream.ifPresent(u -> {
            p.put("primary_conninfo", primaryConninfo(s, memberName, u));
            u.slotName().ifPresent(slot -> p.put("primary_slot_name", slot));
            p.put("recovery_target_timeline", "latest");
        });
        StringBuilder out = new StringBuilder(HEADER);
        p.forEach((k, v) -> out.append(k).append(" = ").append(quoteValue(v)).append('\n'));
        // Last, so the cluster-wide parameters (pgha edit-config) win over the file's.
        return out.append("include_if_exists = '").append(DYNAMIC_CONF).append("'\n").toString();
    }

    /** The content of {@link #DYNAMIC_CONF} for {@code parameters}; never the addresses pgha owns. */
    public static String dynamicConf(Map<String, String> parameters) {
        StringBuilder out = new StringBuilder("# Managed by pgha: the cluster-wide postgres.parameters"
                + " (pgha show-config / pgha edit-config).\n");
        new TreeMap<>(parameters).forEach((k, v) -> {
            if (!k.equals("listen_addresses") && !k.equals("port") && !k.equals("unix_socket_directories")) {
                out.append(k).append(" = ").append(quoteValue(v)).append('\n');
            }
        });
        return out.toString();
    }

    /** libpq connection string to the upstream; the password comes from the passfile, never from this string. */
    public static String primaryConninfo(PostgresSettings s, String memberName, Upstream u) {
        return "host=" + conninfoValue(u.host()) + " port=" + u.port() + " user=" + conninfoValue(s.replicationUser())
                + " passfile=" + conninfoValue(s.passfile().toString()) + " application_name="
                + conninfoValue(memberName) + " sslmode=prefer";
    }

    /**
     * pg_hba.conf: the OS user over the socket (peer), the superuser over TCP with scram from this node, replication
     * only from member addresses, every other user with scram.
     */
    public static String pgHba(PostgresSettings s) {
        StringBuilder out = new StringBuilder(HEADER);
        out.append(String.format("local   all          %-16s %-20s peer%n", s.osUser(), ""));
        out.append(String.format("local   replication  %-16s %-20s peer%n", s.osUser(), ""));
        for (String address : s.memberAddresses()) {
            out.append(String.format("host    replication  %-16s %-20s scram-sha-256%n", s.replicationUser(),
                    cidr(address)));
        }
        out.append(String.format("host    all          %-16s %-20s scram-sha-256%n", "all", "all"));
        return out.toString();
    }

    /** Single-quoted postgresql.conf value ({@code '} doubled), bare when it is a plain word or number. */
    static String quoteValue(String v) {
        return BARE_GUC.matcher(v).matches() ? v : "'" + v.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** libpq conninfo value: bare if safe, else single-quoted with {@code \} and {@code '} escaped. */
    static String conninfoValue(String v) {
        return BARE.matcher(v).matches() && !v.contains("'") ? v
                : "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String cidr(String address) {
        if (address.contains("/")) {
            return address;
        }
        if (address.contains(":")) {
            return address + "/128";
        }
        // A host name is matched by pg_hba as is (reverse lookup); only literal IPv4 addresses get a /32.
        return address.matches("[0-9.]+") ? address + "/32" : address;
    }
}
