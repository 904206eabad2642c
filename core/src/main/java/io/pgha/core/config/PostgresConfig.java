package io.pgha.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code postgres} section: the instance this node manages.
 *
 * @param binDir the directory with pg_ctl and friends; default auto-detected (empty if none found)
 * @param dataDir the data directory, default {@code <node.data_dir>/pgdata}
 * @param port the port Postgres listens on, default 5442 (the proxy owns 5432)
 * @param listen the address Postgres listens on, default node.address
 * @param osUser the operating system user that owns and runs Postgres, default "postgres"
 * @param socketDir the Unix socket directory, default {@code <node.data_dir>/run}
 * @param parameters postgresql.conf parameters, as text
 * @param hba extra pg_hba.conf lines, added after pgha's own
 * @param superuser the superuser pgha connects as
 * @param replication the replication user
 * @param users further roles to create
 * @param databases databases to create
 */
public record PostgresConfig(Optional<Path> binDir, Path dataDir, int port, String listen, String osUser,
                             Path socketDir, Map<String, String> parameters, List<String> hba, Login superuser,
                             Login replication, List<User> users, List<Database> databases) {
    public PostgresConfig {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        hba = List.copyOf(hba);
        users = List.copyOf(users);
        databases = List.copyOf(databases);
    }

    /**
     * A role pgha itself logs in as.
     *
     * @param username the role name
     * @param password from {@code password_file} or the role's environment variable; empty for peer/trust setups
     */
    public record Login(String username, Optional<Secret> password) {
    }

    /**
     * A role to create.
     *
     * @param name the role name
     * @param password from {@code password_file}; empty for a role without password
     * @param options CREATE ROLE options such as {@code LOGIN}, {@code CREATEDB}
     */
    public record User(String name, Optional<Secret> password, List<String> options) {
        public User {
            options = List.copyOf(options);
        }
    }

    /**
     * A database to create.
     *
     * @param name the database name
     * @param owner its owner: the superuser or one of {@code users}; default the superuser
     */
    public record Database(String name, String owner) {
    }
}
