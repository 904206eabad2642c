package io.pgha.core.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGConnection;

/** {@link PostgresQueries} over JDBC (pgjdbc), as the superuser over TCP with scram-sha-256. */
public final class JdbcPostgresQueries implements PostgresQueries {
    private final String url;
    private final Properties props = new Properties();

    public JdbcPostgresQueries(String host, int port, String user, PostgresSettings.Secret password,
                               Duration timeout) {
        this.url = "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/postgres";
        props.setProperty("user", user);
        props.setProperty("password", password.value());
        props.setProperty("connectTimeout", String.valueOf(Math.max(1, timeout.toSeconds())));
        props.setProperty("socketTimeout", String.valueOf(Math.max(1, timeout.toSeconds())));
        props.setProperty("ApplicationName", "pgha");
    }

    @Override
    public boolean isInRecovery() {
        return "t".equals(queryString("SELECT pg_is_in_recovery()").orElse("f"));
    }

    @Override
    public Optional<Lsn> currentLsn() {
        return lsn("SELECT CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn() END");
    }

    @Override
    public Optional<Lsn> receivedLsn() {
        return lsn("SELECT pg_last_wal_receive_lsn()");
    }

    @Override
    public Optional<Lsn> replayedLsn() {
        return lsn("SELECT pg_last_wal_replay_lsn()");
    }

    @Override
    public long timeline() {
        if (!isInRecovery()) {
            String walFile = queryString("SELECT pg_walfile_name(pg_current_wal_lsn())").orElseThrow();
            return Long.parseLong(walFile.substring(0, 8), 16);
        }
        return queryString("SELECT received_tli FROM pg_stat_wal_receiver WHERE received_tli > 0")
                .or(() -> queryString("SELECT timeline_id FROM pg_control_checkpoint()"))
                .map(Long::parseLong).orElse(0L);
    }

    @Override
    public String systemIdentifier() {
        return queryString("SELECT system_identifier FROM pg_control_system()").orElseThrow();
    }

    @Override
    public String setting(String name) {
        return queryString("SELECT current_setting(" + literal(name) + ")").orElseThrow();
    }

    @Override
    public List<ReplicationRow> replication() {
        String sql = "SELECT application_name, host(client_addr), state, sent_lsn, flush_lsn, replay_lsn, sync_state"
                + " FROM pg_stat_replication ORDER BY application_name";
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<ReplicationRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new ReplicationRow(rs.getString(1), rs.getString(2), rs.getString(3), parse(rs.getString(4)),
                        parse(rs.getString(5)), parse(rs.getString(6)), rs.getString(7)));
            }
            return List.copyOf(rows);
        } catch (SQLException e) {
            throw failed("reading pg_stat_replication", e);
        }
    }

    @Override
    public void createOrUpdateRole(String name, PostgresSettings.Secret password, boolean replication) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            String options = replication ? " LOGIN REPLICATION" : " LOGIN";
            st.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + ident(name) + options);
            // Hashed on the client (SCRAM), so the password is in neither the SQL text nor the server log.
            c.unwrap(PGConnection.class).alterUserPassword(name, password.value().toCharArray(), "scram-sha-256");
        } catch (SQLException e) {
            throw failed("creating role " + name, e);
        }
    }

    @Override
    public void createDatabase(String name, String owner) {
        if (queryString("SELECT 1 FROM pg_database WHERE datname = " + literal(name)).isEmpty()) {
            execute("CREATE DATABASE " + ident(name) + " OWNER " + ident(owner));
        }
    }

    @Override
    public void createPhysicalSlot(String name) {
        String exists = "SELECT 1 FROM pg_replication_slots WHERE slot_name = " + literal(name);
        if (queryString(exists).isEmpty()) {
            try {
                queryString("SELECT slot_name FROM pg_create_physical_replication_slot(" + literal(name) + ", true)");
            } catch (PostgresException e) {
                // The primary's loop creates every member's slot too; losing that race leaves the slot we wanted.
                if (queryString(exists).isEmpty()) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void dropSlot(String name) {
        queryString("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = "
                + literal(name) + " AND NOT active");
    }

    @Override
    public void checkpoint() {
        execute("CHECKPOINT");
    }

    @Override
    public void execute(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw failed("executing a statement", e);
        }
    }

    @Override
    public Optional<String> queryString(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw failed("querying", e);
        }
    }

    private Optional<Lsn> lsn(String sql) {
        return queryString(sql).flatMap(JdbcPostgresQueries::parse);
    }

    private static Optional<Lsn> parse(String text) {
        return text == null ? Optional.empty() : Optional.of(Lsn.parse(text));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, props);
    }

    private PostgresException failed(String what, SQLException e) {
        return new PostgresException(what + " on " + url + " failed: " + e.getMessage(), e);
    }

    /** A quoted identifier: {@code "} doubled. */
    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A standard-conforming string literal: {@code '} doubled, no backslash escapes. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
