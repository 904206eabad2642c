package io.pgha.core.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the {@code postgres} section. */
final class PostgresBinder {
    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");
    private static final String ROLE_EXPECTED = "a role name (letters, digits, '_', '$', '-'; at most 63)";
    private static final Pattern OS_USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** Parameters pgha derives from its own keys; setting them twice would let the two disagree. */
    private static final Map<String, String> MANAGED = Map.of(
            "port", "postgres.port", "listen_addresses", "postgres.listen", "data_directory", "postgres.data_dir",
            "unix_socket_directories", "postgres.socket_dir", "hba_file", "postgres.hba");

    private PostgresBinder() {
    }

    static PostgresConfig bind(Section s, NodeConfig node) {
        Optional<Path> binDir = s.path("bin_dir").or(() -> s.environment().postgresBinDir());
        Path dataDir = s.path("data_dir").orElse(node.dataDir().resolve("pgdata"));
        int port = s.port("port", 5442);
        String listen = s.matching("listen", node.address(), ConfigBinder.ADDRESS, "a host name or an IP address");
        String osUser = s.matching("os_user", "postgres", OS_USER, "an operating system user name");
        Path socketDir = s.path("socket_dir").orElse(node.dataDir().resolve("run"));
        Map<String, String> parameters = s.scalarMap("parameters");
        parameters.keySet().stream().filter(MANAGED::containsKey).forEach(name -> {
            String path = s.pathOf("parameters") + "." + name;
            s.diagnostics().mismatch(s.diagnostics().locationOf(path), path, "a parameter pgha sets itself",
                    MANAGED.get(name) + " instead");
        });
        List<String> hba = s.list("hba", "a pg_hba.conf line", text -> text.isBlank() ? Optional.empty()
                : Optional.of(text));
        PostgresConfig.Login superuser = login(s.section("superuser"), "postgres", "PGHA_SUPERUSER_PASSWORD");
        PostgresConfig.Login replication = login(s.section("replication"), "replicator", "PGHA_REPLICATION_PASSWORD");
        List<PostgresConfig.User> users = s.sections("users").stream().map(PostgresBinder::user).toList();
        List<PostgresConfig.Database> databases = databases(s, superuser, users);
        s.finish();
        return new PostgresConfig(binDir, dataDir, port, listen, osUser, socketDir, parameters, hba, superuser,
                replication, users, databases);
    }

    private static PostgresConfig.Login login(Section s, String defaultName, String envVar) {
        PostgresConfig.Login login = new PostgresConfig.Login(s.matching("username", defaultName, ROLE, ROLE_EXPECTED),
                s.secret("password", Optional.of(envVar)));
        s.finish();
        return login;
    }

    private static PostgresConfig.User user(Section s) {
        PostgresConfig.User user = new PostgresConfig.User(ConfigBinder.required(s, "name", ROLE, ROLE_EXPECTED),
                s.secret("password", Optional.empty()),
                s.list("options", "a role option such as LOGIN or CREATEDB",
                        text -> text.matches("[A-Za-z][A-Za-z0-9 ]*") ? Optional.of(text) : Optional.empty()));
        s.finish();
        return user;
    }

    private static List<PostgresConfig.Database> databases(Section s, PostgresConfig.Login superuser,
                                                           List<PostgresConfig.User> users) {
        Set<String> roles = new HashSet<>();
        roles.add(superuser.username());
        users.forEach(u -> roles.add(u.name()));
        return s.sections("databases").stream().map(d -> {
            String name = ConfigBinder.required(d, "name", ROLE, "a database name (letters, digits, '_', '$', '-')");
            String owner = d.matching("owner", superuser.username(), ROLE, ROLE_EXPECTED);
            if (d.has("owner") && !roles.contains(owner)) {
                d.diagnostics().mismatch(d.diagnostics().locationOf(d.pathOf("owner")), d.pathOf("owner"),
                        "'" + owner + "'", "the superuser or one of postgres.users");
            }
            d.finish();
            return new PostgresConfig.Database(name, owner);
        }).toList();
    }
}
