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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Fixture builders for cluster snapshots: {@code ClusterViews.leaderless().withMember(replica("b", 100))}. */
final class ClusterViews {
    static final String SYSID = "7300000000000000001";

    private Optional<InitializeKey> initialize = Optional.of(InitializeKey.systemId(SYSID));
    private Optional<LeaderKey> leader = Optional.empty();
    private final List<MemberState> members = new ArrayList<>();
    private Optional<FailoverRequest> failover = Optional.empty();
    private SyncState sync = SyncState.empty();
    private Optional<Lsn> leaderLsn = Optional.empty();
    private String config = "{}";

    private ClusterViews() {
    }

    /** Nobody has bootstrapped: no initialize key. */
    static ClusterViews uninitialized() {
        ClusterViews v = new ClusterViews();
        v.initialize = Optional.empty();
        return v;
    }

    /** Initialized, nobody holds the leader key. */
    static ClusterViews leaderless() {
        return new ClusterViews();
    }

    /** Initialized, {@code name} holds the leader key (its member record is added separately). */
    static ClusterViews ledBy(String name) {
        ClusterViews v = new ClusterViews();
        v.leader = Optional.of(new LeaderKey(name, 10, 1));
        return v;
    }

    ClusterViews claimedBy(String name) {
        initialize = Optional.of(InitializeKey.claimedBy(name));
        return this;
    }

    ClusterViews withMember(MemberState m) {
        members.add(m);
        return this;
    }

    ClusterViews withLeaderLsn(long lsn) {
        leaderLsn = Optional.of(new Lsn(lsn));
        return this;
    }

    ClusterViews withSync(String leaderName, String... standbys) {
        sync = new SyncState(leaderName, Set.of(standbys));
        return this;
    }

    ClusterViews withFailover(String from, String to) {
        failover = Optional.of(new FailoverRequest(Optional.ofNullable(from), Optional.ofNullable(to), 5));
        return this;
    }

    /** Maintenance mode: {@code pause: true} in the dynamic configuration. */
    ClusterViews paused() {
        config = "{\"pause\":true}";
        return this;
    }

    ClusterViews withRequest(FailoverRequest request) {
        failover = Optional.of(request);
        return this;
    }

    ClusterView build() {
        return new ClusterView("demo", 42, initialize, leader, members, Optional.of(config), failover, sync,
                List.of(), leaderLsn);
    }

    static MemberState primary(String name, long lsn) {
        return member(name, Role.PRIMARY, PostgresState.RUNNING, lsn, Map.of());
    }

    static MemberState replica(String name, long lsn) {
        return member(name, Role.REPLICA, PostgresState.RUNNING, lsn, Map.of());
    }

    static MemberState replica(String name, long lsn, Map<String, String> tags) {
        return member(name, Role.REPLICA, PostgresState.RUNNING, lsn, tags);
    }

    static MemberState stopped(String name) {
        return member(name, Role.UNKNOWN, PostgresState.STOPPED, 0, Map.of());
    }

    static MemberState member(String name, Role role, PostgresState state, long lsn, Map<String, String> tags) {
        return new MemberState(name, role, state, "http://" + name + ":8008/patroni", name, 5442, 1, new Lsn(lsn),
                tags, false, "");
    }
}
