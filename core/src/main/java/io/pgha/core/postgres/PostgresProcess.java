package io.pgha.core.postgres;

import java.time.Duration;

/**
 * The local postmaster's life cycle. Every call blocks until done or its timeout and reports failure with a
 * {@link PostgresException} that carries the tail of the command's output. Calls are not thread-safe: the node
 * agent's single worker owns them.
 */
public interface PostgresProcess {

    /** initdb with data checksums, peer auth locally and scram-sha-256 over TCP. The data dir must be empty. */
    void initdb();

    /** Writes the pgha-managed configuration (and pg_hba.conf) and starts; returns once it accepts connections. */
    void start(Duration timeout);

    /** {@code pg_ctl stop -m mode}; returns once the postmaster is gone. Stopping a stopped server is a no-op. */
    void stop(ShutdownMode mode, Duration timeout);

    /** {@code pg_ctl promote -w}: returns once the server accepts writes. */
    void promote(Duration timeout);

    /** Re-reads configuration files (SIGHUP). */
    void reload();

    /** From {@code pg_ctl status} and {@code postmaster.pid}; never throws for a missing data dir (STOPPED). */
    PostgresState state();

    /** Whether the data directory holds a cluster ({@code PG_VERSION} exists). */
    boolean dataDirPresent();

    default boolean isRunning() {
        return state().isUp();
    }
}
