package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.FailoverRequest;
import io.pgha.core.dcs.InitializeKey;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.dcs.SyncState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A random but self-consistent cluster: one snapshot and, for every node, the local view that matches what it
 * published. Values are drawn from small sets so that ties (equal LSNs, equal priorities) are frequent.
 */
record RandomWorld(ClusterView cluster, List<LocalView> nodes, HaSettings cfg) {
    private static final String[] NAMES = {"a", "b", "c", "d"};
    private static final long[] LSNS = {0, 100, 200, 200, (1 << 20) + 100, 5_000_000};

    static RandomWorld random(Random r) {
        int n = 1 + r.nextInt(NAMES.length);
        List<LocalView> nodes = new ArrayList<>();
        List<MemberState> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LocalView local = randomNode(r, NAMES[i]);
            nodes.add(local);
            // Nodes with data always publish (their member key is leased and refreshed); fresh nodes may not yet.
            if (local.dataDirPresent() || r.nextBoolean()) {
                members.add(published(local));
            }
        }
        ClusterView cluster = new ClusterView("prop", 1, randomInitialize(r, n), randomLeader(r, n), members,
                Optional.empty(), randomFailover(r, n), randomSync(r, n), List.of(),
                r.nextBoolean() ? Optional.empty() : Optional.of(new Lsn(LSNS[r.nextInt(LSNS.length)])));
        HaSettings cfg = HaSettings.defaults().withSync(new HaSettings.SyncPolicy(
                        HaSettings.SynchronousMode.values()[r.nextInt(3)], 1 + r.nextInt(2)))
                .withMaximumLag(r.nextBoolean() ? 1 << 20 : 150)
                .withRewind(r.nextBoolean(), r.nextBoolean());
        return new RandomWorld(cluster, List.copyOf(nodes), cfg);
    }

    private static LocalView randomNode(Random r, String name) {
        boolean data = r.nextInt(5) > 0;
        PostgresState state = data ? PostgresState.values()[r.nextInt(PostgresState.values().length)]
                : PostgresState.STOPPED;
        Role role = Role.UNKNOWN;
        if (state == PostgresState.RUNNING) {
            role = r.nextInt(3) == 0 ? Role.PRIMARY : Role.REPLICA;
        }
        long lsn = data ? LSNS[r.nextInt(LSNS.length)] : 0;
        Map<String, String> tags = new HashMap<>();
        if (r.nextInt(5) == 0) {
            tags.put("nofailover", "true");
        }
        if (r.nextInt(3) == 0) {
            tags.put("failover_priority", String.valueOf(r.nextInt(3)));
        }
        Optional<java.time.Instant> renew = r.nextBoolean() ? Optional.empty()
                : Optional.of(LocalViews.NOW.minus(Duration.ofSeconds(r.nextInt(40))));
        Optional<String> following = r.nextBoolean() ? Optional.empty() : Optional.of(NAMES[r.nextInt(NAMES.length)]);
        LocalView.RejoinState rejoin = LocalView.RejoinState.values()[data && r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0];
        Optional<String> sysid = data ? Optional.of(r.nextInt(8) == 0 ? "999" : ClusterViews.SYSID) : Optional.empty();
        Optional<String> job = r.nextInt(8) == 0 ? Optional.of("clone") : Optional.empty();
        return new LocalView(name, data, state, role, 1, new Lsn(lsn), sysid, renew, following, rejoin, job, tags);
    }

    private static MemberState published(LocalView l) {
        return new MemberState(l.name(), l.role(), l.state(), "http://" + l.name() + ":8008", l.name(), 5442,
                l.timeline(), l.lsn(), l.tags(), false, "");
    }

    private static Optional<InitializeKey> randomInitialize(Random r, int n) {
        int pick = r.nextInt(4);
        if (pick == 0) {
            return Optional.empty();
        }
        if (pick == 1) {
            return Optional.of(InitializeKey.claimedBy(NAMES[r.nextInt(n)]));
        }
        return Optional.of(InitializeKey.systemId(ClusterViews.SYSID));
    }

    private static Optional<LeaderKey> randomLeader(Random r, int n) {
        int pick = r.nextInt(n + 2);
        if (pick < n) {
            return Optional.of(new LeaderKey(NAMES[pick], 7, 1));
        }
        return pick == n ? Optional.empty() : Optional.of(new LeaderKey("ghost", 7, 1));
    }

    private static Optional<FailoverRequest> randomFailover(Random r, int n) {
        if (r.nextInt(3) > 0) {
            return Optional.empty();
        }
        Optional<String> from = r.nextBoolean() ? Optional.of(NAMES[r.nextInt(n)]) : Optional.empty();
        Optional<String> to = r.nextBoolean() ? Optional.of(NAMES[r.nextInt(n)]) : Optional.empty();
        return Optional.of(new FailoverRequest(from, to, 3));
    }

    private static SyncState randomSync(Random r, int n) {
        Set<String> standbys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                standbys.add(NAMES[i]);
            }
        }
        String leader = r.nextBoolean() ? NAMES[r.nextInt(n)] : "";
        return new SyncState(leader, standbys);
    }

    /** The same world after the leader key expired: initialized, no leader, no failover request, nobody busy. */
    RandomWorld leaderlessAndQuiet() {
        ClusterView c = cluster;
        ClusterView quiet = new ClusterView(c.cluster(), c.revision(),
                Optional.of(InitializeKey.systemId(ClusterViews.SYSID)), Optional.empty(), c.members(), c.config(),
                Optional.empty(), c.sync(), c.history(), c.leaderLsn());
        List<LocalView> idle = nodes.stream().map(l -> new LocalView(l.name(), l.dataDirPresent(), l.state(),
                l.role(), l.timeline(), l.lsn(), l.systemId().map(id -> ClusterViews.SYSID), l.lastRenewSent(),
                l.following(), l.rejoin(), Optional.empty(), l.tags())).toList();
        return new RandomWorld(quiet, idle, cfg);
    }

    @Override
    public String toString() {
        return "cluster=" + cluster + "\nnodes=" + nodes + "\ncfg=" + cfg;
    }
}
