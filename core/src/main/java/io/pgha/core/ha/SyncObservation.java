package io.pgha.core.ha;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.ReplicationRow;
import java.util.List;
import java.util.Objects;

/**
 * What the primary sees of its synchronous replication in one cycle.
 *
 * @param standbyNames the current {@code synchronous_standby_names}
 * @param replication  {@code pg_stat_replication}, one row per connected standby (application_name = member name)
 * @param barrier      the primary's WAL position right after {@code synchronous_standby_names} last changed: a newly
 *                     listed standby counts as synchronous only once it has flushed this far, because commits
 *                     acknowledged before the change need not have reached it
 */
public record SyncObservation(String standbyNames, List<ReplicationRow> replication, Lsn barrier) {
    public SyncObservation {
        Objects.requireNonNull(standbyNames, "standbyNames");
        replication = List.copyOf(replication);
        barrier = barrier == null ? Lsn.ZERO : barrier;
    }
}
