package io.pgha.core.ha;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.ReplicationRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixture for the primary's sync duties: a cluster snapshot, what its Postgres reports, and the settings, built as
 * {@code SyncWorld.of(cluster).names("b").sync("b", 120).barrier(100)}.
 */
final class SyncWorld {
    private final ClusterView cluster;
    private String names = "";
    private final List<ReplicationRow> rows = new ArrayList<>();
    private long barrier;
    private HaSettings cfg = HaSettings.defaults().withSync(new HaSettings.SyncPolicy(HaSettings.SynchronousMode.ON,
            1));

    private SyncWorld(ClusterView cluster) {
        this.cluster = cluster;
    }

    static SyncWorld of(ClusterViews cluster) {
        return new SyncWorld(cluster.build());
    }

    /** synchronous_standby_names as pgha renders it for {@code standbys} ({@code "*"} as is). */
    SyncWorld names(String... standbys) {
        names = SyncStandbyNames.render(List.of(standbys));
        return this;
    }

    SyncWorld sync(String name, long flush) {
        return row(name, "streaming", "sync", flush);
    }

    SyncWorld async(String name, long flush) {
        return row(name, "streaming", "async", flush);
    }

    SyncWorld row(String name, String state, String syncState, long flush) {
        rows.add(SyncWorldRows.row(name, state, syncState, flush));
        return this;
    }

    SyncWorld barrier(long lsn) {
        barrier = lsn;
        return this;
    }

    SyncWorld mode(HaSettings.SynchronousMode mode, int count) {
        cfg = HaSettings.defaults().withSync(new HaSettings.SyncPolicy(mode, count));
        return this;
    }

    ClusterView cluster() {
        return cluster;
    }

    SyncObservation observation() {
        return new SyncObservation(names, rows, new Lsn(barrier));
    }

    HaSettings cfg() {
        return cfg;
    }

    SyncStep plan(String me) {
        return SyncDuties.plan(cluster, me, observation(), cfg);
    }
}
