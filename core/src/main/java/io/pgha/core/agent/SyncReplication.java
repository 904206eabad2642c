package io.pgha.core.agent;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.Dcs;
import io.pgha.core.ha.HaSettings;
import io.pgha.core.ha.LocalView;
import io.pgha.core.ha.SyncDuties;
import io.pgha.core.ha.SyncObservation;
import io.pgha.core.ha.SyncStep;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.ReplicationRow;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Carries out the primary's synchronous replication duties once per cycle, after a successful renewal: observes
 * {@code synchronous_standby_names} and {@code pg_stat_replication}, asks the pure {@link SyncDuties} for one step
 * and does it (a reload or one compare-and-set of the {@code sync} key). Loop thread only.
 */
final class SyncReplication {
    private final String name;
    private final HaSettings ha;
    private final Dcs dcs;
    private final LocalProbe probe;
    /** The primary's flush position right after this node last changed synchronous_standby_names. */
    private Optional<Lsn> barrier = Optional.empty();

    SyncReplication(String name, HaSettings ha, Dcs dcs, LocalProbe probe) {
        this.name = name;
        this.ha = ha;
        this.dcs = dcs;
        this.probe = probe;
    }

    /** Forgets the barrier once this node is no longer a running primary; a later promotion starts afresh. */
    void notPrimary() {
        barrier = Optional.empty();
    }

    /**
     * One step for the primary that has just renewed its key; returns what it did, or empty when nothing changed.
     *
     * @param view         this cycle's snapshot
     * @param local        this node (a running primary)
     * @param standbyNames synchronous_standby_names as this cycle's probe read it
     */
    Optional<String> afterRenew(ClusterView view, LocalView local, String standbyNames) {
        if (ha.sync().mode() == HaSettings.SynchronousMode.OFF && view.sync().standbys().isEmpty()
                && standbyNames.isBlank()) {
            return Optional.empty();
        }
        // Unknown after an agent restart: count only from now, so a standby listed before is re-confirmed.
        Lsn from = barrier.orElse(local.lsn());
        barrier = Optional.of(from);
        List<ReplicationRow> rows;
        try {
            rows = probe.replication();
        } catch (SQLException e) {
            return Optional.of("sync: cannot read pg_stat_replication: " + e.getMessage());
        }
        SyncStep step = SyncDuties.plan(view, name, new SyncObservation(standbyNames, rows, from), ha);
        if (step instanceof SyncStep.SetStandbyNames s) {
            try {
                barrier = Optional.of(probe.setStandbyNames(s.value()));
            } catch (SQLException e) {
                return Optional.of("sync: " + s.describe() + " failed: " + e.getMessage());
            }
        } else if (step instanceof SyncStep.PublishSync p) {
            if (!dcs.writeSync(p.standbys())) {
                return Optional.of("sync: " + p.describe() + " refused (leader key no longer ours)");
            }
        } else {
            return Optional.empty();
        }
        return Optional.of("sync: " + step.describe());
    }
}
