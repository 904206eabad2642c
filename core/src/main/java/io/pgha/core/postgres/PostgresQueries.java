package io.pgha.core.postgres;

import java.util.List;
import java.util.Optional;

/**
 * Typed questions to, and small administrative commands for, the local Postgres. Each call opens its own short
 * connection (connect timeout and statement timeout of a few seconds), so a hung server makes a call fail with
 * {@link PostgresException} instead of blocking the HA loop. Identifiers are quoted and passwords are set with
 * client-side SCRAM hashing, so they never appear in SQL text or the server log.
 */
public interface PostgresQueries {

    boolean isInRecovery();

    /** {@code pg_current_wal_lsn()}; empty on a standby. */
    Optional<Lsn> currentLsn();

    /** {@code pg_last_wal_receive_lsn()}; empty on a primary or before anything was received. */
    Optional<Lsn> receivedLsn();

    /** {@code pg_last_wal_replay_lsn()}; empty on a primary. */
    Optional<Lsn> replayedLsn();

    /**
     * The current timeline: from the WAL insert position on a primary, the WAL receiver (else the control file) on a
     * standby.
     */
    long timeline();

    /** {@code pg_control_system().system_identifier} as text. */
    String systemIdentifier();

    /** The value of a setting ({@code SHOW}). */
    String setting(String name);

    List<ReplicationRow> replication();

    /** Creates a LOGIN role (with REPLICATION if asked), or updates the password of an existing one. */
    void createOrUpdateRole(String name, PostgresSettings.Secret password, boolean replication);

    /** Creates a database owned by {@code owner}, if it does not exist. */
    void createDatabase(String name, String owner);

    /** Creates a physical slot that reserves WAL at once; no-op if it exists. */
    void createPhysicalSlot(String name);

    /** Drops the slot if it exists and is not active. */
    void dropSlot(String name);

    void checkpoint();

    /** Runs one statement that returns nothing (tests and admin tools). */
    void execute(String sql);

    /** Runs a query that returns one text value, or empty when it returns no row. */
    Optional<String> queryString(String sql);
}
