package io.pgha.core.dcs;

import io.pgha.core.postgres.Lsn;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable snapshot of the cluster's keys, read once at the start of an HA cycle (STYLE P3). Every decision of
 * the cycle is made against this one snapshot; writes carry {@link #revision()} or a key's mod revision as their CAS
 * base, so a decision taken on a stale view fails its write instead of acting on it.
 *
 * @param cluster     the cluster name (the key prefix is {@code /pgha/<cluster>/})
 * @param revision    the store revision the snapshot was read at
 * @param initialize  the {@code initialize} key, absent before the bootstrap race
 * @param leader      the leader key, absent when no member holds it
 * @param members     the live members (their leased keys), sorted by name
 * @param config      the dynamic configuration JSON ({@code config} key), absent before bootstrap
 * @param failover    a pending switchover or failover request
 * @param sync        the synchronous standbys ({@code sync} key); empty when not in synchronous mode
 * @param history     the timeline history, oldest first
 * @param leaderLsn   the primary's last published WAL position ({@code status} key), the reference for replica lag
 */
public record ClusterView(String cluster, long revision, Optional<InitializeKey> initialize,
                          Optional<LeaderKey> leader, List<MemberState> members, Optional<String> config,
                          Optional<FailoverRequest> failover, SyncState sync, List<HistoryEntry> history,
                          Optional<Lsn> leaderLsn) {

    public ClusterView {
        Objects.requireNonNull(cluster, "cluster");
        members = members.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
        history = List.copyOf(history);
        sync = sync == null ? SyncState.empty() : sync;
    }

    /** The view of a cluster nobody has written to yet. */
    public static ClusterView empty(String cluster) {
        return new ClusterView(cluster, 0, Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), SyncState.empty(), List.of(), Optional.empty());
    }

    /**
     * This view with the leader key taken as expired because its holder stopped renewing it; the holder's member
     * record goes too, since it is bound to the same lease and would otherwise still rank as a candidate.
     */
    public ClusterView withoutLeader() {
        String holder = leader.map(LeaderKey::name).orElse("");
        return new ClusterView(cluster, revision, initialize, Optional.empty(),
                members.stream().filter(m -> !m.name().equals(holder)).toList(), config, failover, sync, history,
                leaderLsn);
    }

    /**
     * This view with the WAL positions of {@code positions} in place of the published ones where those are further
     * ahead: members publish once per cycle, so right after a primary died a record may lag what the member holds.
     */
    public ClusterView withPositions(Map<String, Lsn> positions) {
        return new ClusterView(cluster, revision, initialize, leader, members.stream()
                .map(m -> Optional.ofNullable(positions.get(m.name())).filter(p -> p.compareTo(m.lsn()) > 0)
                        .map(m::withLsn).orElse(m)).toList(), config, failover, sync, history, leaderLsn);
    }

    public Optional<MemberState> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The member record of the leader key's holder; empty if there is no leader or its member key has expired. */
    public Optional<MemberState> leaderMember() {
        return leader.flatMap(l -> member(l.name()));
    }

    public boolean isLeader(String name) {
        return leader.map(l -> l.name().equals(name)).orElse(false);
    }

    /** Maintenance mode ({@code pause: true} in the dynamic configuration): nothing is promoted or demoted. */
    public boolean paused() {
        return DcsJson.paused(config);
    }

    public boolean isInitialized() {
        return initialize.flatMap(InitializeKey::systemIdentifier).isPresent();
    }
}
