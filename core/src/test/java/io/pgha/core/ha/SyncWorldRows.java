package io.pgha.core.ha;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.ReplicationRow;
import java.util.Optional;

/** {@code pg_stat_replication} rows for the sync fixtures. */
final class SyncWorldRows {
    private SyncWorldRows() {
    }

    static ReplicationRow row(String name, String state, String syncState, long flush) {
        Optional<Lsn> at = Optional.of(new Lsn(flush));
        return new ReplicationRow(name, "127.0.0.1", state, at, at, at, syncState);
    }
}
