package io.pgha.core.ha;

import java.time.Duration;
import java.util.Objects;

/**
 * The HA timings and policies the decision needs (the {@code ha} section; the lead maps it from the config).
 *
 * @param ttl                  leader lease time to live (Patroni default 30 s)
 * @param loopWait             HA loop period (default 10 s)
 * @param safetyMargin         a leader that has not renewed successfully for {@code ttl - safetyMargin} demotes
 *                             itself, so it stops accepting writes before any other member can take the key
 * @param maximumLagOnFailover a replica further behind the last known primary position (bytes) may not race
 * @param sync                 synchronous replication: mode and number of synchronous standbys
 * @param usePgRewind          rejoin a former primary with pg_rewind
 * @param recloneOnRewindFailure wipe and re-clone when pg_rewind fails (Patroni's
 *                             {@code remove_data_directory_on_rewind_failure})
 */
public record HaSettings(Duration ttl, Duration loopWait, Duration safetyMargin, long maximumLagOnFailover,
                         SyncPolicy sync, boolean usePgRewind, boolean recloneOnRewindFailure) {

    public HaSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(loopWait, "loopWait");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(sync, "sync");
        if (safetyMargin.isNegative() || safetyMargin.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("ha.safety_margin must be >= 0 and below ha.ttl (" + ttl + "), was "
                    + safetyMargin);
        }
        if (loopWait.compareTo(ttl.minus(safetyMargin)) >= 0) {
            // Otherwise a healthy leader would pass its demote deadline between two renewals.
            throw new IllegalArgumentException("ha.loop_wait (" + loopWait + ") must be below ha.ttl - safety_margin ("
                    + ttl.minus(safetyMargin) + ")");
        }
        if (maximumLagOnFailover < 0) {
            throw new IllegalArgumentException("ha.maximum_lag_on_failover must be >= 0, was " + maximumLagOnFailover);
        }
    }

    /** Patroni's defaults: ttl 30 s, loop_wait 10 s, safety margin 5 s, 1 MiB lag, async, pg_rewind on. */
    public static HaSettings defaults() {
        return new HaSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5), 1 << 20,
                SyncPolicy.OFF, true, true);
    }

    /** The time after the last successful renewal's send time by which a leader must have stopped taking writes. */
    public Duration demoteAfter() {
        return ttl.minus(safetyMargin);
    }

    /** {@code on} or {@code strict}: only a standby listed in the sync key (or its leader) may be promoted. */
    public boolean synchronousMode() {
        return sync.mode() != SynchronousMode.OFF;
    }

    /** {@code on} (one synchronous standby) or {@code off}. */
    public HaSettings withSynchronousMode(boolean on) {
        return withSync(on ? new SyncPolicy(SynchronousMode.ON, 1) : SyncPolicy.OFF);
    }

    public HaSettings withSync(SyncPolicy policy) {
        return new HaSettings(ttl, loopWait, safetyMargin, maximumLagOnFailover, policy, usePgRewind,
                recloneOnRewindFailure);
    }

    public HaSettings withMaximumLag(long bytes) {
        return new HaSettings(ttl, loopWait, safetyMargin, bytes, sync, usePgRewind,
                recloneOnRewindFailure);
    }

    public HaSettings withRewind(boolean use, boolean recloneOnFailure) {
        return new HaSettings(ttl, loopWait, safetyMargin, maximumLagOnFailover, sync, use,
                recloneOnFailure);
    }

    /** Patroni's {@code synchronous_mode}: off, on (falls back to asynchronous without a standby), strict (never). */
    public enum SynchronousMode {
        OFF, ON, STRICT
    }

    /**
     * Synchronous replication.
     *
     * @param mode      off, on or strict
     * @param nodeCount how many synchronous standbys the primary asks for (at least 1)
     */
    public record SyncPolicy(SynchronousMode mode, int nodeCount) {
        public static final SyncPolicy OFF = new SyncPolicy(SynchronousMode.OFF, 1);

        public SyncPolicy {
            Objects.requireNonNull(mode, "mode");
            if (nodeCount < 1) {
                throw new IllegalArgumentException("ha.synchronous_node_count must be >= 1, was " + nodeCount);
            }
        }
    }
}
