package io.pgha.core.postgres;

/** The life-cycle state of the local postmaster, as seen from {@code pg_ctl status} and {@code postmaster.pid}. */
public enum PostgresState {
    /** Accepting connections. */
    RUNNING,
    /** Started but not yet accepting connections (crash recovery, catching up before consistency). */
    STARTING,
    /** Not running, cleanly. */
    STOPPED,
    /** Not running, and a stale {@code postmaster.pid} shows it did not stop cleanly. */
    CRASHED;

    public boolean isUp() {
        return this == RUNNING || this == STARTING;
    }
}
