package io.pgha.core.ha;

import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Fixture builders for this node's view: {@code LocalViews.runningReplica("b", 100).following("a")}. */
final class LocalViews {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private String name;
    private boolean dataDir = true;
    private PostgresState state = PostgresState.RUNNING;
    private Role role = Role.REPLICA;
    private long lsn;
    private Optional<String> systemId = Optional.of(ClusterViews.SYSID);
    private Optional<Instant> lastRenew = Optional.empty();
    private Optional<String> following = Optional.empty();
    private LocalView.RejoinState rejoin = LocalView.RejoinState.NONE;
    private Optional<String> job = Optional.empty();
    private Map<String, String> tags = Map.of();

    private LocalViews(String name) {
        this.name = name;
    }

    static LocalViews emptyDataDir(String name) {
        LocalViews v = new LocalViews(name);
        v.dataDir = false;
        v.state = PostgresState.STOPPED;
        v.role = Role.UNKNOWN;
        v.systemId = Optional.empty();
        return v;
    }

    static LocalViews stoppedNode(String name) {
        LocalViews v = new LocalViews(name);
        v.state = PostgresState.STOPPED;
        v.role = Role.UNKNOWN;
        return v;
    }

    static LocalViews runningPrimary(String name, long lsn) {
        LocalViews v = new LocalViews(name);
        v.role = Role.PRIMARY;
        v.lsn = lsn;
        return v;
    }

    static LocalViews runningReplica(String name, long lsn) {
        LocalViews v = new LocalViews(name);
        v.lsn = lsn;
        return v;
    }

    /** The local view that matches a member record of the snapshot (the property tests derive nodes this way). */
    static LocalViews of(MemberState m) {
        LocalViews v = new LocalViews(m.name());
        v.state = m.state();
        v.role = m.role();
        v.lsn = m.lsn().value();
        v.tags = m.tags();
        return v;
    }

    LocalViews renewedSecondsAgo(long seconds) {
        lastRenew = Optional.of(NOW.minusSeconds(seconds));
        return this;
    }

    LocalViews following(String leader) {
        following = Optional.of(leader);
        return this;
    }

    LocalViews rejoin(LocalView.RejoinState state) {
        rejoin = state;
        return this;
    }

    LocalViews systemId(String id) {
        systemId = Optional.of(id);
        return this;
    }

    LocalViews job(String description) {
        job = Optional.of(description);
        return this;
    }

    LocalViews tags(Map<String, String> t) {
        tags = t;
        return this;
    }

    LocalView build() {
        return new LocalView(name, dataDir, state, role, 1, new Lsn(lsn), systemId, lastRenew, following, rejoin, job,
                tags);
    }
}
