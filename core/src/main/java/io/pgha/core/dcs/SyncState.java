package io.pgha.core.dcs;

import java.util.Set;

/**
 * The {@code sync} key: the leader that wrote it and the standbys currently listed in
 * {@code synchronous_standby_names}. In synchronous mode only these (or the leader itself) may be promoted.
 */
public record SyncState(String leader, Set<String> standbys) {
    public SyncState {
        standbys = Set.copyOf(standbys);
    }

    public static SyncState empty() {
        return new SyncState("", Set.of());
    }

    public boolean isSynchronous(String member) {
        return standbys.contains(member);
    }
}
