package io.pgha.core.postgres;

import java.util.Optional;

/** One row of {@code pg_stat_replication}, as the primary sees a connected standby. */
public record ReplicationRow(String applicationName, String clientAddr, String state, Optional<Lsn> sentLsn,
                             Optional<Lsn> flushLsn, Optional<Lsn> replayLsn, String syncState) {
}
