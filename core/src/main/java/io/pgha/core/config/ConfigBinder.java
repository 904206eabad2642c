package io.pgha.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the document's sections to the configuration records, filling in defaults. */
final class ConfigBinder {
    static final Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9-]{1,63}");
    static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final String NODE_NAME_EXPECTED = "a name of letters, digits, '.', '_' and '-' (at most 63)";
    private static final String ADDRESS_EXPECTED = "a host name or an IP address";

    private ConfigBinder() {
    }

    /** Binds every section of {@code root}; problems go to the root's diagnostics. */
    static PghaConfig bind(Section root) {
        NodeConfig node = node(root.section("node"));
        StoreConfig store = store(root.section("store"));
        ClusterConfig cluster = cluster(root.section("cluster"), store);
        PostgresConfig postgres = PostgresBinder.bind(root.section("postgres"), node);
        HaConfig ha = ha(root.section("ha"));
        RestConfig rest = rest(root.section("rest"), node);
        ProxyConfig proxy = proxy(root.section("proxy"));
        BackupConfig backup = ServicesBinder.backup(root.section("backup"), cluster);
        HardeningConfig hardening = ServicesBinder.hardening(root.section("hardening"));
        TlsConfig tls = ServicesBinder.tls(root.section("tls"));
        root.finish();
        return new PghaConfig(cluster, node, store, postgres, ha, rest, proxy, backup, hardening, tls);
    }

    /** A value that must be given: reports "found nothing" at the section when absent. */
    static String required(Section s, String key, Pattern format, String expected) {
        String value = s.matching(key, "", format, expected);
        if (!s.has(key)) {
            s.diagnostics().mismatch(s.locationOf(key), s.pathOf(key), "nothing", expected);
        }
        return value;
    }

    private static NodeConfig node(Section s) {
        String name = s.matching("name", "", NODE_NAME, NODE_NAME_EXPECTED);
        if (!s.has("name")) {
            Optional<String> host = s.environment().hostName();
            if (host.isEmpty()) {
                s.diagnostics().mismatch(s.locationOf("name"), s.pathOf("name"),
                        "nothing (the host name is unavailable)", "a node name");
            } else if (!NODE_NAME.matcher(host.get()).matches()) {
                s.diagnostics().mismatch(s.locationOf("name"), s.pathOf("name"),
                        "nothing, and the host name '" + host.get() + "' is not a valid name", NODE_NAME_EXPECTED);
            } else {
                name = host.get();
            }
        }
        String address = s.matching("address", s.environment().hostAddress().orElse("127.0.0.1"), ADDRESS,
                ADDRESS_EXPECTED);
        Path dataDir = s.path("data_dir").orElse(Path.of("/var/lib/pgha"));
        s.finish();
        return new NodeConfig(name, address, dataDir);
    }

    private static StoreConfig store(Section s) {
        StoreConfig c = new StoreConfig(s.port("client_port", 2379), s.port("peer_port", 2380),
                s.duration("election_timeout_min", Duration.ofMillis(500)),
                s.duration("election_timeout_max", Duration.ofSeconds(1)),
                s.integer("snapshot_threshold", 10_000, 1, Integer.MAX_VALUE),
                s.duration("request_timeout", Duration.ofSeconds(2)),
                s.duration("watch_progress_interval", Duration.ofMinutes(10)));
        s.finish();
        return c;
    }

    private static ClusterConfig cluster(Section s, StoreConfig store) {
        String name = s.matching("name", "pgha", CLUSTER_NAME, "a name of lower-case letters, digits and '-' (1-63)");
        List<ClusterConfig.Member> members = s.sections("members").stream().map(m -> {
            ClusterConfig.Member member = new ClusterConfig.Member(
                    required(m, "name", NODE_NAME, NODE_NAME_EXPECTED), required(m, "address", ADDRESS,
                    ADDRESS_EXPECTED));
            m.finish();
            return member;
        }).toList();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i).name();
            if (!member.isEmpty() && !seen.add(member)) {
                String path = s.pathOf("members") + "[" + i + "].name";
                s.diagnostics().mismatch(s.diagnostics().locationOf(path), path, "'" + member
                        + "' a second time", "unique member names");
            }
        }
        Optional<HostPort> join = s.optionalString("join").flatMap(text -> {
            Optional<HostPort> target = HostPort.parse(text, store.clientPort());
            if (target.isEmpty()) {
                s.diagnostics().mismatch(s.diagnostics().locationOf(s.pathOf("join")), s.pathOf("join"),
                        "'" + text + "'", "HOST[:PORT]");
            }
            return target;
        });
        Optional<Secret> token = s.secret("token", Optional.of("PGHA_CLUSTER_TOKEN"));
        s.finish();
        return new ClusterConfig(name, members, join, token);
    }

    private static HaConfig ha(Section s) {
        Duration ttl = s.duration("ttl", Duration.ofSeconds(5));
        Duration loopWait = s.duration("loop_wait", Duration.ofMillis(500));
        Duration retryTimeout = s.duration("retry_timeout", Duration.ofSeconds(1));
        Duration safetyMargin = s.duration("safety_margin", Duration.ofSeconds(2), Duration.ZERO);
        ByteSize maxLag = s.size("maximum_lag_on_failover", ByteSize.ofMegabytes(1));
        HaConfig.SynchronousMode mode = s.choice("synchronous_mode", HaConfig.SynchronousMode.OFF,
                HaConfig.SynchronousMode.class);
        int syncCount = s.integer("synchronous_node_count", 1, 1, 255);
        boolean rewind = s.bool("use_pg_rewind", true);
        boolean reclone = s.bool("reclone_on_rewind_failure", true);
        Duration startTimeout = s.duration("primary_start_timeout", Duration.ZERO, Duration.ZERO);
        Section t = s.section("tags");
        HaConfig.Tags tags = new HaConfig.Tags(t.bool("nofailover", false), t.bool("noloadbalance", false),
                t.bool("nosync", false), t.bool("clonefrom", false), t.integer("failover_priority", 1, 0, 1_000_000));
        t.finish();
        s.finish();
        return new HaConfig(ttl, loopWait, retryTimeout, safetyMargin, maxLag, mode, syncCount, rewind, reclone,
                startTimeout, tags);
    }

    private static RestConfig rest(Section s, NodeConfig node) {
        RestConfig c = new RestConfig(s.matching("listen", node.address(), ADDRESS, ADDRESS_EXPECTED),
                s.port("port", 8008), s.optionalString("username"),
                s.secret("password", Optional.of("PGHA_REST_PASSWORD")));
        s.finish();
        return c;
    }

    private static ProxyConfig proxy(Section s) {
        ProxyConfig c = new ProxyConfig(s.bool("enabled", true),
                s.matching("listen", "0.0.0.0", ADDRESS, ADDRESS_EXPECTED),
                s.port("rw_port", 5432), s.port("ro_port", 5433), s.port("stats_port", 8404),
                s.size("ro_max_lag", ByteSize.ofMegabytes(1)), s.bool("ro_fallback_to_primary", true),
                s.duration("hold_timeout", Duration.ofSeconds(5), Duration.ZERO),
                s.integer("max_connections", 1000, 1, 1_000_000),
                s.duration("connect_timeout", Duration.ofSeconds(2)));
        s.finish();
        return c;
    }
}
