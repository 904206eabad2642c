package io.pgha.core.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the pgha-managed files into and next to the data directory: {@code pgha.conf} (and the include line in
 * postgresql.conf), pg_hba.conf, {@code standby.signal}, and the 0600 passfile. Every write is atomic (temp file +
 * rename) and the file is owned by the Postgres OS user, so pg_rewind and pg_basebackup can later replace it.
 */
public final class PostgresConfigFiles {
    static final String MANAGED_CONF = "pgha.conf";
    private static final String INCLUDE = "include_if_exists = '" + MANAGED_CONF + "'\t# added by pgha\n";

    private final PostgresSettings settings;
    private final String memberName;

    public PostgresConfigFiles(PostgresSettings settings, String memberName) {
        this.settings = settings;
        this.memberName = memberName;
    }

    /**
     * Renders and writes the configuration. With an upstream, this node starts (or stays) a standby that follows
     * it ({@code standby.signal}); without one it starts as whatever the data directory is.
     */
    public void write(Optional<Upstream> upstream, boolean standby) {
        Path data = settings.dataDir();
        writeFile(data.resolve(MANAGED_CONF), ConfigRenderer.postgresqlConf(settings, memberName, upstream),
                "rw-------");
        writeFile(data.resolve("pg_hba.conf"), ConfigRenderer.pgHba(settings), "rw-------");
        Path conf = data.resolve("postgresql.conf");
        try {
            String current = Files.exists(conf) ? Files.readString(conf) : "";
            if (!current.contains(INCLUDE.strip())) {
                writeFile(conf, current + (current.endsWith("\n") || current.isEmpty() ? "" : "\n") + INCLUDE,
                        "rw-------");
            }
            Path signal = data.resolve("standby.signal");
            if (standby) {
                writeFile(signal, "", "rw-------");
            } else {
                Files.deleteIfExists(signal);
            }
        } catch (IOException e) {
            throw new PostgresException("cannot write the configuration in " + data + ": " + e.getMessage(), e);
        }
        writePassfile();
    }

    /**
     * Writes the cluster-wide parameters file when its content differs; returns whether it changed (then a running
     * Postgres needs a reload). Nothing is written into a data directory that has not been created yet.
     */
    public boolean writeDynamic(Map<String, String> parameters) {
        Path data = settings.dataDir();
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            return false;
        }
        Path target = data.resolve(ConfigRenderer.DYNAMIC_CONF);
        String content = ConfigRenderer.dynamicConf(parameters);
        try {
            if (Files.exists(target) && Files.readString(target).equals(content)) {
                return false;
            }
        } catch (IOException e) {
            throw new PostgresException("cannot read " + target + ": " + e.getMessage(), e);
        }
        writeFile(target, content, "rw-------");
        return true;
    }

    /** The libpq passfile (0600, owned by the Postgres user) with the replication and superuser passwords. */
    public void writePassfile() {
        String content = passfileLine(settings.replicationUser(), settings.replicationPassword())
                + passfileLine(settings.superuser(), settings.superuserPassword());
        writeFile(settings.passfile(), content, "rw-------");
    }

    private static String passfileLine(String user, PostgresSettings.Secret password) {
        return "*:*:*:" + escape(user) + ":" + escape(password.value()) + "\n";
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** Atomic write, mode set before the content is visible, owned by the Postgres OS user. */
    void writeFile(Path target, String content, String mode) {
        try {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".pgha-tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            chown(tmp, settings.osUser());
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PostgresException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Gives {@code path} to {@code user} when the agent runs as root; otherwise the agent already is that user. */
    static void chown(Path path, String user) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName(user));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(user));
    }
}
