package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.dcs.SyncState;
import io.pgha.core.postgres.ReplicationRow;
import io.pgha.core.postgres.Role;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The primary's synchronous replication duties (rule 3), as a pure function of one snapshot, in Patroni's order. The
 * invariant: every standby listed in the {@code sync} key has every commit the primary acknowledged, so promoting
 * any of them loses nothing. Hence a standby is added to {@code synchronous_standby_names} first and to the key only
 * once Postgres reports it synchronous and it has flushed past the barrier; and it is removed from the key first and
 * from {@code synchronous_standby_names} afterwards. In {@code on} mode the primary falls back to asynchronous
 * replication (empty setting, empty key) when no standby can be synchronous; in {@code strict} mode the setting is
 * never empty: it keeps naming the last synchronous standby, which also stays in the key, or {@code *}, and writes
 * wait until a standby is back.
 */
public final class SyncDuties {
    private SyncDuties() {
    }

    /**
     * The next step for the primary {@code me}, which has just renewed the leader key.
     *
     * @param cluster this cycle's snapshot (the sync key, the members and their tags)
     * @param me      this primary's member name
     * @param seen    synchronous_standby_names, pg_stat_replication and the barrier
     * @param cfg     the HA settings ({@link HaSettings#sync()})
     */
    public static SyncStep plan(ClusterView cluster, String me, SyncObservation seen, HaSettings cfg) {
        SyncState key = cluster.sync();
        String current = seen.standbyNames().strip();
        if (cfg.sync().mode() == HaSettings.SynchronousMode.OFF) {
            return off(key, current);
        }
        if (!key.leader().equals(me)) {
            // Written by an earlier primary: the standbys it lists were synchronous to somebody else.
            return new SyncStep.PublishSync(Set.of());
        }
        boolean strict = cfg.sync().mode() == HaSettings.SynchronousMode.STRICT;
        Set<String> listed = key.standbys();
        List<String> picked = pick(cluster, me, seen, listed, cfg.sync().nodeCount());
        Set<String> confirmed = confirmed(seen, listed);
        // Strict without any candidate keeps its last standby in the key and in the setting: writes wait for it,
        // so it still has every acknowledged commit and stays the safe one to promote.
        boolean keepLast = strict && picked.isEmpty()
                && SyncStandbyNames.parse(current).containsAll(listed);
        if (!keepLast) {
            Set<String> keep = intersect(listed, confirmed, Set.copyOf(picked));
            if (!keep.equals(listed)) {
                return new SyncStep.PublishSync(keep);
            }
        }
        List<String> wanted = wanted(picked, strict, current);
        if (!SyncStandbyNames.render(wanted).equals(current)) {
            return new SyncStep.SetStandbyNames(wanted);
        }
        Set<String> now = keepLast ? listed : intersect(confirmed, Set.copyOf(picked), confirmed);
        if (!now.equals(listed)) {
            return new SyncStep.PublishSync(now);
        }
        if (!listed.containsAll(picked)) {
            return new SyncStep.Settled("waiting for " + String.join(",", picked) + " to become synchronous");
        }
        if (picked.isEmpty()) {
            return new SyncStep.Settled(strict ? "strict synchronous mode: no standby available; writes wait"
                    : "synchronous mode: no standby available; replicating asynchronously");
        }
        return new SyncStep.Settled("synchronous standbys " + String.join(",", new TreeSet<>(listed)));
    }

    private static SyncStep off(SyncState key, String current) {
        if (!key.standbys().isEmpty()) {
            return new SyncStep.PublishSync(Set.of());
        }
        if (!current.isEmpty()) {
            return new SyncStep.SetStandbyNames(List.of());
        }
        return new SyncStep.Settled("asynchronous replication");
    }

    private static List<String> wanted(List<String> picked, boolean strict, String current) {
        if (!picked.isEmpty()) {
            return picked;
        }
        if (!strict) {
            return List.of();
        }
        List<String> names = SyncStandbyNames.parse(current);
        return names.isEmpty() ? List.of(SyncStandbyNames.ANY) : names;
    }

    /**
     * The standbys to ask for: streaming, running replicas not tagged nosync; those already listed in the key first
     * (no churn), then those Postgres already reports synchronous, then the most advanced, then by name.
     */
    static List<String> pick(ClusterView cluster, String me, SyncObservation seen, Set<String> listed, int count) {
        Map<String, ReplicationRow> rows = streaming(seen);
        Comparator<MemberState> order = Comparator.<MemberState, Boolean>comparing(m -> !listed.contains(m.name()))
                .thenComparing(m -> !isSync(rows.get(m.name())))
                .thenComparing(m -> rows.get(m.name()).flushLsn().orElse(io.pgha.core.postgres.Lsn.ZERO),
                        Comparator.reverseOrder())
                .thenComparing(MemberState::name);
        return cluster.members().stream()
                .filter(m -> !m.name().equals(me) && m.role() == Role.REPLICA && m.isRunning() && !m.noSync())
                .filter(m -> rows.containsKey(m.name()))
                .sorted(order).limit(count).map(MemberState::name).toList();
    }

    /**
     * Standbys that have every acknowledged commit: named in synchronous_standby_names, streaming, reported sync by
     * Postgres, and either already in the key (they have been synchronous since) or flushed past the barrier.
     */
    static Set<String> confirmed(SyncObservation seen, Set<String> listed) {
        Set<String> named = new HashSet<>(SyncStandbyNames.parse(seen.standbyNames()));
        return streaming(seen).values().stream()
                .filter(r -> named.contains(r.applicationName()) && isSync(r))
                .filter(r -> listed.contains(r.applicationName())
                        || r.flushLsn().filter(f -> f.compareTo(seen.barrier()) >= 0).isPresent())
                .map(ReplicationRow::applicationName).collect(Collectors.toSet());
    }

    private static Map<String, ReplicationRow> streaming(SyncObservation seen) {
        return seen.replication().stream().filter(r -> "streaming".equals(r.state()))
                .collect(Collectors.toMap(ReplicationRow::applicationName, Function.identity(), (a, b) -> a));
    }

    private static boolean isSync(ReplicationRow r) {
        return Optional.ofNullable(r).map(ReplicationRow::syncState)
                .filter(s -> s.equals("sync") || s.equals("quorum")).isPresent();
    }

    private static Set<String> intersect(Set<String> a, Set<String> b, Set<String> c) {
        Set<String> out = new HashSet<>(a);
        out.retainAll(b);
        out.retainAll(c);
        return Set.copyOf(out);
    }
}
