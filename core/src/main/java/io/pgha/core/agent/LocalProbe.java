package io.pgha.core.agent;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresSettings;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.ReplicationRow;
import io.pgha.core.postgres.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Looks at the local Postgres once per cycle, cheaply: the postmaster's state from {@code postmaster.pid} (no
 * {@code pg_ctl} process), and role, position, timeline and system id in one query over one connection kept open
 * between cycles. A cycle must finish well inside {@code ttl - safety_margin}, and four fresh SCRAM logins and a
 * {@code pg_ctl status} per cycle did not on a loaded host. Used by the loop thread only.
 */
final class LocalProbe implements AutoCloseable {
    private static final String QUERY = "SELECT pg_is_in_recovery(), CASE WHEN pg_is_in_recovery()"
            + " THEN coalesce(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text"
            + " ELSE pg_current_wal_lsn()::text END, CASE WHEN pg_is_in_recovery()"
            + " THEN coalesce((SELECT received_tli FROM pg_stat_wal_receiver WHERE received_tli > 0),"
            + " (SELECT timeline_id FROM pg_control_checkpoint()))"
            + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END,"
            + " (SELECT system_identifier FROM pg_control_system())::text,"
            + " (SELECT coalesce(bool_or(pending_restart), false) FROM pg_settings),"
            + " current_setting('synchronous_standby_names')";
    private static final String REPLICATION = "SELECT application_name, host(client_addr), state, sent_lsn::text,"
            + " flush_lsn::text, replay_lsn::text, sync_state FROM pg_stat_replication ORDER BY application_name";

    private final PostgresSettings pg;
    private Connection connection;

    LocalProbe(PostgresSettings pg) {
        this.pg = pg;
    }

    /** What one look found. */
    record Seen(PostgresState state, Role role, long timeline, Lsn lsn, Optional<String> systemId,
                boolean pendingRestart, String standbyNames) {
        static Seen of(PostgresState state) {
            return new Seen(state, Role.UNKNOWN, 0, Lsn.ZERO, Optional.empty(), false, "");
        }
    }

    Seen look() {
        PostgresState state = postmasterState();
        if (state != PostgresState.RUNNING) {
            close();
            return Seen.of(state);
        }
        try {
            try (Statement s = open().createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
                rs.next();
                Role role = rs.getBoolean(1) ? Role.REPLICA : Role.PRIMARY;
                String lsn = rs.getString(2);
                return new Seen(PostgresState.RUNNING, role, rs.getLong(3), lsn == null ? Lsn.ZERO : Lsn.parse(lsn),
                        Optional.ofNullable(rs.getString(4)), rs.getBoolean(5),
                        Optional.ofNullable(rs.getString(6)).orElse(""));
            }
        } catch (SQLException e) {
            close();
            return Seen.of(PostgresState.STARTING);
        }
    }

    /** {@code pg_stat_replication} over the kept connection; call right after a {@link #look()} that saw RUNNING. */
    List<ReplicationRow> replication() throws SQLException {
        List<ReplicationRow> rows = new ArrayList<>();
        try (Statement s = open().createStatement(); ResultSet rs = s.executeQuery(REPLICATION)) {
            while (rs.next()) {
                rows.add(new ReplicationRow(rs.getString(1), rs.getString(2), rs.getString(3), lsn(rs.getString(4)),
                        lsn(rs.getString(5)), lsn(rs.getString(6)), rs.getString(7)));
            }
        }
        return rows;
    }

    /**
     * {@code ALTER SYSTEM SET synchronous_standby_names} and a reload; returns the primary's WAL position read after
     * the reload, the barrier a newly listed standby must reach.
     */
    Lsn setStandbyNames(String value) throws SQLException {
        try (Statement s = open().createStatement()) {
            s.execute("ALTER SYSTEM SET synchronous_standby_names = '" + value.replace("'", "''") + "'");
            s.execute("SELECT pg_reload_conf()");
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
                rs.next();
                return Lsn.parse(rs.getString(1));
            }
        }
    }

    private Connection open() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connect();
        }
        return connection;
    }

    private static Optional<Lsn> lsn(String text) {
        return Optional.ofNullable(text).map(Lsn::parse);
    }

    /** From {@code postmaster.pid}: its PID alive and line 8 ready/standby means running. */
    private PostgresState postmasterState() {
        Path pidFile = pg.dataDir().resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile);
        } catch (IOException e) {
            return PostgresState.STOPPED;
        }
        boolean alive = !lines.isEmpty() && lines.get(0).strip().matches("\\d+")
                && ProcessHandle.of(Long.parseLong(lines.get(0).strip())).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return Files.exists(pidFile) ? PostgresState.CRASHED : PostgresState.STOPPED;
        }
        String status = lines.size() >= 8 ? lines.get(7).strip() : "";
        return status.equals("ready") || status.equals("standby") ? PostgresState.RUNNING : PostgresState.STARTING;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.superuser());
        p.setProperty("password", pg.superuserPassword().value());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "3");
        p.setProperty("ApplicationName", "pgha-ha-loop");
        String host = pg.listen().contains(":") ? "[" + pg.listen() + "]" : pg.listen();
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + pg.port() + "/postgres", p);
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken; a new one is opened on the next look
            }
            connection = null;
        }
    }
}
