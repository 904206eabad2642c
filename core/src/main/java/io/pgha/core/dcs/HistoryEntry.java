package io.pgha.core.dcs;

import io.pgha.core.postgres.Lsn;

/** One timeline switch: Patroni's {@code [timeline, lsn, reason, timestamp, new leader]}. */
public record HistoryEntry(long timeline, Lsn switchLsn, String reason, String timestamp, String newLeader) {
}
