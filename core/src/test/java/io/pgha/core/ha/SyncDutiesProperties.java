package io.pgha.core.ha;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.ReplicationRow;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Safety of the primary's sync duties over random snapshots: the key only ever lists standbys that have every
 * acknowledged commit, so promoting any of them (the only ones {@link Candidates} allows) loses nothing.
 */
class SyncDutiesProperties {
    private static final String ME = "a";
    private static final String[] OTHERS = {"b", "c", "d"};
    private static final long[] LSNS = {100, 200, 300};

    record World(ClusterView cluster, SyncObservation seen, HaSettings cfg) {
        SyncStep plan() {
            return SyncDuties.plan(cluster, ME, seen, cfg);
        }

        Set<String> listed() {
            return cluster.sync().leader().equals(ME) ? cluster.sync().standbys() : Set.of();
        }

        boolean strict() {
            return cfg.sync().mode() == HaSettings.SynchronousMode.STRICT;
        }
    }

    @Provide
    Arbitrary<World> worlds() {
        return Arbitraries.randomValue(SyncDutiesProperties::random);
    }

    @Property(tries = 5000)
    void aStandbyLeavesTheSettingOnlyAfterItLeftTheKey(@ForAll("worlds") World w) {
        if (w.plan() instanceof SyncStep.SetStandbyNames s) {
            assertThat(s.names()).as("%s", w).containsAll(w.listed());
        }
    }

    @Property(tries = 5000)
    void theKeyGainsOnlyStandbysConfirmedSynchronousPastTheBarrier(@ForAll("worlds") World w) {
        if (w.plan() instanceof SyncStep.PublishSync p) {
            Set<String> named = Set.copyOf(SyncStandbyNames.parse(w.seen().standbyNames()));
            for (String added : p.standbys()) {
                if (w.listed().contains(added)) {
                    continue;
                }
                ReplicationRow r = w.seen().replication().stream().filter(x -> x.applicationName().equals(added))
                        .findFirst().orElseThrow(() -> new AssertionError("published unknown " + added + " " + w));
                assertThat(named).as("%s", w).contains(added);
                assertThat(r.state()).as("%s", w).isEqualTo("streaming");
                assertThat(r.syncState()).as("%s", w).isEqualTo("sync");
                assertThat(r.flushLsn().orElseThrow()).as("%s", w).isGreaterThanOrEqualTo(w.seen().barrier());
            }
        }
    }

    @Property(tries = 5000)
    void strictModeNeverEmptiesTheSetting(@ForAll("worlds") World w) {
        if (w.strict() && w.plan() instanceof SyncStep.SetStandbyNames s) {
            assertThat(s.names()).as("%s", w).isNotEmpty();
        }
    }

    /** Strict: the last synchronous standby leaves the key only to make room for a replacement. */
    @Property(tries = 5000)
    void strictModeKeepsTheLastSyncStandbyInTheKeyUntilAReplacementIsAtHand(@ForAll("worlds") World w) {
        if (w.strict() && !w.listed().isEmpty() && w.plan() instanceof SyncStep.PublishSync p
                && p.standbys().isEmpty()) {
            boolean replacement = !SyncDuties.pick(w.cluster(), ME, w.seen(), w.listed(), w.cfg().sync().nodeCount())
                    .isEmpty();
            boolean notInSetting = !SyncStandbyNames.parse(w.seen().standbyNames()).containsAll(w.listed());
            assertThat(replacement || notInSetting).as("%s", w).isTrue();
        }
    }

    @Property(tries = 5000)
    void neverChoosesItselfOrANosyncMember(@ForAll("worlds") World w) {
        if (w.plan() instanceof SyncStep.SetStandbyNames s) {
            for (String n : s.names()) {
                assertThat(n).as("%s", w).isNotEqualTo(ME);
                w.cluster().member(n).ifPresent(m -> assertThat(m.noSync()).as("%s", w).isFalse());
            }
        }
    }

    @Property(tries = 5000)
    void offModeNeverSetsStandbysOrListsThem(@ForAll("worlds") World w) {
        if (w.cfg().sync().mode() == HaSettings.SynchronousMode.OFF) {
            SyncStep step = w.plan();
            if (step instanceof SyncStep.SetStandbyNames s) {
                assertThat(s.names()).as("%s", w).isEmpty();
            }
            if (step instanceof SyncStep.PublishSync p) {
                assertThat(p.standbys()).as("%s", w).isEmpty();
            }
        }
    }

    private static World random(Random r) {
        ClusterViews c = ClusterViews.ledBy(ME).withMember(ClusterViews.primary(ME, 300));
        List<ReplicationRow> rows = new java.util.ArrayList<>();
        Set<String> listed = new HashSet<>();
        Set<String> named = new HashSet<>();
        for (String n : OTHERS) {
            if (r.nextInt(4) == 0) {
                continue;
            }
            Map<String, String> tags = r.nextInt(4) == 0 ? Map.of("nosync", "true") : Map.of();
            MemberState m = r.nextInt(5) == 0 ? ClusterViews.stopped(n) : ClusterViews.replica(n, 300, tags);
            c.withMember(m);
            if (r.nextBoolean()) {
                listed.add(n);
            }
            if (r.nextBoolean()) {
                named.add(n);
            }
            if (r.nextInt(3) > 0) {
                String state = r.nextInt(4) == 0 ? "catchup" : "streaming";
                String sync = new String[] {"sync", "async", "potential"}[r.nextInt(3)];
                rows.add(SyncWorldRows.row(n, state, sync, LSNS[r.nextInt(LSNS.length)]));
            }
        }
        String keyLeader = r.nextInt(5) == 0 ? "x" : ME;
        c.withSync(keyLeader, listed.toArray(String[]::new));
        String names = switch (r.nextInt(4)) {
            case 0 -> "";
            case 1 -> "*";
            default -> SyncStandbyNames.render(named.stream().sorted().toList());
        };
        HaSettings.SynchronousMode mode = HaSettings.SynchronousMode.values()[r.nextInt(3)];
        HaSettings cfg = HaSettings.defaults().withSync(new HaSettings.SyncPolicy(mode, 1 + r.nextInt(2)));
        return new World(c.build(), new SyncObservation(names, rows,
                new io.pgha.core.postgres.Lsn(LSNS[r.nextInt(LSNS.length)])), cfg);
    }
}
