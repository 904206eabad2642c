package io.pgha.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prints configurations for people. {@link #effective} renders a loaded configuration with every default as YAML
 * that loads back to the same configuration; {@link #masked} shows a file as written with any inline secret hidden.
 * Neither ever prints a secret: a secret from a file shows as its {@code *_file} path, one from the environment as a
 * comment naming the variable.
 */
public final class ConfigRenderer {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    private static final String SECRET_KEY = "[A-Za-z_]*(?:password|token|secret|passphrase)";
    /** A block-style {@code password: value} line. */
    private static final Pattern INLINE_SECRET = Pattern.compile(
            "(?m)^(\\s*(?:-\\s+)?" + SECRET_KEY + "\\s*:)[ \\t]*[^\\s#][^\\n]*$");
    /** A flow-style {@code {password: value, ...}} entry. */
    private static final Pattern FLOW_SECRET = Pattern.compile("([{,]\\s*" + SECRET_KEY + "\\s*:)\\s*[^,}\\n]+");

    private ConfigRenderer() {
    }

    /** {@code text} as written, with the value of every key that names a secret itself replaced by asterisks. */
    public static String masked(String text) {
        String blockMasked = INLINE_SECRET.matcher(text).replaceAll("$1 '********'");
        return FLOW_SECRET.matcher(blockMasked).replaceAll("$1 '********'");
    }

    /** The whole configuration, defaults included, as YAML. */
    public static String effective(PghaConfig c) {
        List<String> fromEnv = new ArrayList<>();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cluster", cluster(c.cluster(), fromEnv));
        root.put("node", map("name", c.node().name(), "address", c.node().address(),
                "data_dir", c.node().dataDir().toString()));
        StoreConfig s = c.store();
        root.put("store", map("client_port", s.clientPort(), "peer_port", s.peerPort(),
                "election_timeout_min", fmt(s.electionTimeoutMin()), "election_timeout_max",
                fmt(s.electionTimeoutMax()), "snapshot_threshold", s.snapshotThreshold(),
                "request_timeout", fmt(s.requestTimeout()),
                "watch_progress_interval", fmt(s.watchProgressInterval())));
        root.put("postgres", PostgresView.of(c.postgres(), fromEnv));
        root.put("ha", ha(c.ha()));
        RestConfig r = c.rest();
        root.put("rest", map("listen", r.listen(), "port", r.port(), "username", r.username().orElse(null),
                "password_file", secretFile(r.password(), "rest.password", fromEnv)));
        ProxyConfig p = c.proxy();
        root.put("proxy", map("enabled", p.enabled(), "listen", p.listen(), "rw_port", p.rwPort(),
                "ro_port", p.roPort(), "stats_port", p.statsPort(), "ro_max_lag", p.roMaxLag().toString(),
                "ro_fallback_to_primary", p.roFallbackToPrimary(), "hold_timeout", fmt(p.holdTimeout()),
                "max_connections", p.maxConnections(), "connect_timeout", fmt(p.connectTimeout())));
        BackupConfig b = c.backup();
        root.put("backup", map("enabled", b.enabled(), "stanza", b.stanza(), "repo_path", b.repoPath().toString(),
                "retention_full", b.retentionFull(), "schedule", map("full", b.schedule().full().expression(),
                        "diff", b.schedule().diff().expression())));
        HardeningConfig h = c.hardening();
        root.put("hardening", map("enabled", h.enabled(), "ufw", h.ufw(), "cis", h.cis(),
                "allowed_client_cidrs", h.allowedClientCidrs().stream().map(Cidr::toString).toList()));
        TlsConfig t = c.tls();
        root.put("tls", map("enabled", t.enabled(), "cert_file", path(t.certFile()), "key_file", path(t.keyFile()),
                "ca_file", path(t.caFile())));
        StringBuilder out = new StringBuilder();
        fromEnv.forEach(line -> out.append("# ").append(line).append(System.lineSeparator()));
        try {
            return out.append(YAML.writeValueAsString(root)).toString();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> cluster(ClusterConfig c, List<String> fromEnv) {
        List<Object> members = new ArrayList<>();
        c.members().forEach(m -> members.add(map("name", m.name(), "address", m.address())));
        return map("name", c.name(), "members", members, "join", c.join().map(HostPort::toString).orElse(null),
                "token_file", secretFile(c.token(), "cluster.token", fromEnv));
    }

    private static Map<String, Object> ha(HaConfig ha) {
        HaConfig.Tags t = ha.tags();
        return map("ttl", fmt(ha.ttl()), "loop_wait", fmt(ha.loopWait()), "retry_timeout", fmt(ha.retryTimeout()),
                "safety_margin", fmt(ha.safetyMargin()), "maximum_lag_on_failover", ha.maximumLagOnFailover()
                        .toString(), "synchronous_mode", ha.synchronousMode().name().toLowerCase(Locale.ROOT),
                "synchronous_node_count", ha.synchronousNodeCount(), "use_pg_rewind", ha.usePgRewind(),
                "reclone_on_rewind_failure", ha.recloneOnRewindFailure(), "primary_start_timeout",
                fmt(ha.primaryStartTimeout()), "tags", map("nofailover", t.nofailover(), "noloadbalance",
                        t.noloadbalance(), "nosync", t.nosync(), "clonefrom", t.clonefrom(),
                        "failover_priority", t.failoverPriority()));
    }

    /** The file a secret came from; a secret from the environment is noted in {@code fromEnv} instead. */
    static String secretFile(Optional<Secret> secret, String field, List<String> fromEnv) {
        secret.flatMap(Secret::envVar).ifPresent(v -> fromEnv.add(field + " is set from $" + v));
        return secret.flatMap(Secret::file).map(Object::toString).orElse(null);
    }

    static String path(Optional<java.nio.file.Path> p) {
        return p.map(Object::toString).orElse(null);
    }

    static String fmt(Duration d) {
        return DurationSyntax.format(d);
    }

    /** A mapping that keeps its order and allows null values (printed as {@code null}: "not set"). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** The {@code postgres} section's rendering, kept apart to keep each method short. */
    private static final class PostgresView {
        static Map<String, Object> of(PostgresConfig p, List<String> fromEnv) {
            List<Object> users = new ArrayList<>();
            p.users().forEach(u -> users.add(map("name", u.name(), "password_file",
                    secretFile(u.password(), "postgres.users." + u.name() + ".password", fromEnv),
                    "options", u.options())));
            List<Object> databases = new ArrayList<>();
            p.databases().forEach(d -> databases.add(map("name", d.name(), "owner", d.owner())));
            return map("bin_dir", path(p.binDir()), "data_dir", p.dataDir().toString(), "port", p.port(),
                    "listen", p.listen(), "os_user", p.osUser(), "socket_dir", p.socketDir().toString(),
                    "parameters", p.parameters(), "hba", p.hba(),
                    "superuser", login(p.superuser(), "postgres.superuser.password", fromEnv),
                    "replication", login(p.replication(), "postgres.replication.password", fromEnv),
                    "users", users, "databases", databases);
        }

        private static Map<String, Object> login(PostgresConfig.Login login, String field, List<String> fromEnv) {
            return map("username", login.username(), "password_file", secretFile(login.password(), field, fromEnv));
        }
    }
}
