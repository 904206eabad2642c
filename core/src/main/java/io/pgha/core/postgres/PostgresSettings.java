package io.pgha.core.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this node runs its Postgres (the {@code postgres} section; the lead maps it from the config).
 *
 * @param binDir           configured bin dir, or empty to discover
 * @param dataDir          PGDATA
 * @param listen           address Postgres listens on (the node address)
 * @param port             Postgres port (5442 by default: the proxy owns 5432)
 * @param socketDir        unix socket directory, per node
 * @param osUser           the OS user that owns the data dir and runs Postgres
 * @param superuser        database superuser the agent connects as
 * @param superuserPassword the superuser's password (a secret: passfile or environment only)
 * @param replicationUser  role used by replicas to stream
 * @param replicationPassword that role's password (a secret)
 * @param passfile         0600 libpq passfile the agent writes and replicas' primary_conninfo points to
 * @param memberAddresses  addresses allowed to connect for replication (pg_hba)
 * @param parameters       user postgresql.conf parameters, applied after pgha's own
 */
public record PostgresSettings(Optional<Path> binDir, Path dataDir, String listen, int port, Path socketDir,
                               String osUser, String superuser, Secret superuserPassword, String replicationUser,
                               Secret replicationPassword, Path passfile, List<String> memberAddresses,
                               Map<String, String> parameters) {

    public PostgresSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        memberAddresses = List.copyOf(memberAddresses);
        parameters = Map.copyOf(parameters);
    }

    /** A password that does not print itself. */
    public record Secret(String value) {
        @Override
        public String toString() {
            return "******";
        }
    }
}
