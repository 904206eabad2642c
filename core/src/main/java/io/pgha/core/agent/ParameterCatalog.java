package io.pgha.core.agent;

import io.pgha.core.config.ParameterCheck;
import io.pgha.core.postgres.PostgresSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads {@code pg_settings} of this node's Postgres: what each parameter accepts, for {@link ParameterCheck}. */
final class ParameterCatalog {
    private static final String QUERY = "SELECT name, vartype, coalesce(unit, ''), coalesce(min_val, ''),"
            + " coalesce(max_val, ''), enumvals, context FROM pg_settings";

    private final PostgresSettings pg;

    ParameterCatalog(PostgresSettings pg) {
        this.pg = pg;
    }

    Map<String, ParameterCheck.Spec> read() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", pg.superuser());
        p.setProperty("password", pg.superuserPassword().value());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "5");
        p.setProperty("ApplicationName", "pgha-config-check");
        String host = pg.listen().contains(":") ? "[" + pg.listen() + "]" : pg.listen();
        Map<String, ParameterCheck.Spec> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + pg.port() + "/postgres",
                p); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                Array values = rs.getArray(6);
                List<String> enums = values == null ? List.of() : List.of((String[]) values.getArray());
                out.put(rs.getString(1), new ParameterCheck.Spec(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), enums, rs.getString(7)));
            }
        }
        return out;
    }
}
