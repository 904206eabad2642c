package io.pgha.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules that span fields: HA timings that keep a single primary, Raft election bounds, ports that would collide,
 * and settings that only make sense together. Each broken rule is reported at the field the user should change.
 */
final class ConfigRules {
    private static final Duration MIN_TTL = Duration.ofSeconds(2);
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "*");

    private ConfigRules() {
    }

    static void check(PghaConfig config, Diagnostics d) {
        haTimings(config.ha(), d);
        if (config.store().electionTimeoutMin().compareTo(config.store().electionTimeoutMax()) >= 0) {
            mismatch(d, List.of("store.election_timeout_min", "store.election_timeout_max"),
                    fmt(config.store().electionTimeoutMin()),
                    "less than store.election_timeout_max (" + fmt(config.store().electionTimeoutMax()) + ")");
        }
        memberOfItsCluster(config, d);
        ports(config, d);
        restCredentials(config.rest(), d);
    }

    /**
     * The primary renews its lease every loop_wait and gives up at last success + ttl - safety_margin, so: a renewal
     * that needs its full retry budget twice must still land within ttl (Patroni's loop_wait + 2 * retry_timeout
     * rule), the self-demotion must happen before the lease expires for others (safety_margin < ttl), and a healthy
     * primary must get its next renewal in before its own deadline (loop_wait < ttl - safety_margin).
     */
    private static void haTimings(HaConfig ha, Diagnostics d) {
        boolean broken = false;
        if (ha.ttl().compareTo(MIN_TTL) < 0) {
            mismatch(d, List.of("ha.ttl"), fmt(ha.ttl()), "at least " + fmt(MIN_TTL));
            broken = true;
        }
        Duration needed = ha.loopWait().plus(ha.retryTimeout().multipliedBy(2));
        if (needed.compareTo(ha.ttl()) > 0) {
            mismatch(d, List.of("ha.ttl", "ha.loop_wait", "ha.retry_timeout"), fmt(ha.ttl()),
                    "at least ha.loop_wait + 2 * ha.retry_timeout = " + fmt(needed));
            broken = true;
        }
        if (ha.safetyMargin().compareTo(ha.ttl()) >= 0) {
            mismatch(d, List.of("ha.safety_margin", "ha.ttl"), fmt(ha.safetyMargin()),
                    "less than ha.ttl (" + fmt(ha.ttl()) + ")");
        } else if (!broken && ha.loopWait().compareTo(ha.ttl().minus(ha.safetyMargin())) >= 0) {
            // Only when ttl itself is fine: a too short ttl is the one thing to fix then.
            mismatch(d, List.of("ha.safety_margin", "ha.ttl", "ha.loop_wait"), fmt(ha.safetyMargin()),
                    "less than ha.ttl - ha.loop_wait ("
                    + fmt(ha.ttl().minus(ha.loopWait())) + ") so that a healthy primary renews before it demotes");
        }
    }

    /** A node bootstrapping from a member list must be on it; otherwise a typo would start a stranger. */
    private static void memberOfItsCluster(PghaConfig config, Diagnostics d) {
        List<ClusterConfig.Member> members = config.cluster().members();
        String name = config.node().name();
        if (members.isEmpty() || config.cluster().join().isPresent() || name.isEmpty()
                || members.stream().anyMatch(m -> m.name().equals(name))) {
            return;
        }
        String names = String.join(", ", members.stream().map(ClusterConfig.Member::name).toList());
        mismatch(d, List.of("node.name", "cluster.members"), "'" + name + "'",
                "one of cluster.members (" + names + "), or cluster.join to add this node");
    }

    private record Binding(String path, String address, int port) {
    }

    /** Every listening socket of the node, in the order the sections appear in the reference. */
    private static List<Binding> bindings(PghaConfig c) {
        List<Binding> all = new ArrayList<>();
        all.add(new Binding("store.client_port", c.node().address(), c.store().clientPort()));
        all.add(new Binding("store.peer_port", c.node().address(), c.store().peerPort()));
        all.add(new Binding("postgres.port", c.postgres().listen(), c.postgres().port()));
        all.add(new Binding("rest.port", c.rest().listen(), c.rest().port()));
        if (c.proxy().enabled()) {
            all.add(new Binding("proxy.rw_port", c.proxy().listen(), c.proxy().rwPort()));
            all.add(new Binding("proxy.ro_port", c.proxy().listen(), c.proxy().roPort()));
            all.add(new Binding("proxy.stats_port", c.proxy().listen(), c.proxy().statsPort()));
        }
        return all;
    }

    private static void ports(PghaConfig config, Diagnostics d) {
        List<Binding> all = bindings(config);
        for (int i = 1; i < all.size(); i++) {
            Binding b = all.get(i);
            for (int j = 0; j < i; j++) {
                Binding earlier = all.get(j);
                if (earlier.port() == b.port() && overlap(earlier.address(), b.address())) {
                    // Point at whichever of the two the user wrote: that is the line to change.
                    Location at = d.givenAt(b.path()).or(() -> d.givenAt(earlier.path()))
                            .orElseGet(() -> d.locationOf(b.path()));
                    d.mismatch(at, b.path(), Integer.toString(b.port()),
                            "a port other than " + earlier.path() + " (" + earlier.port() + ") on the same address");
                    break;
                }
            }
        }
    }

    private static boolean overlap(String a, String b) {
        return a.equals(b) || WILDCARDS.contains(a) || WILDCARDS.contains(b);
    }

    private static void restCredentials(RestConfig rest, Diagnostics d) {
        if (rest.password().isPresent() && rest.username().isEmpty()) {
            mismatch(d, List.of("rest.username", "rest.password_file"), "nothing",
                    "a user name, since a REST password is set");
        }
        // A password_file that was given but unreadable is already reported; do not report it missing as well.
        if (rest.username().isPresent() && rest.password().isEmpty() && d.givenAt("rest.password_file").isEmpty()) {
            mismatch(d, List.of("rest.password_file", "rest.username"), "nothing",
                    "a password file or PGHA_REST_PASSWORD, since rest.username is set");
        }
    }

    /**
     * Reports a broken rule on {@code paths.get(0)}, at the first of {@code paths} the user actually wrote: when the
     * field itself was left at its default, the line to look at is the one that made the default wrong.
     */
    private static void mismatch(Diagnostics d, List<String> paths, String found, String expected) {
        Location at = paths.stream().map(d::givenAt).flatMap(java.util.Optional::stream).findFirst()
                .orElseGet(() -> d.locationOf(paths.get(0)));
        d.mismatch(at, paths.get(0), found, expected);
    }

    private static String fmt(Duration duration) {
        return DurationSyntax.format(duration);
    }
}
