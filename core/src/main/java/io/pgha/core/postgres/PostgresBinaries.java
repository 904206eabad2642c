package io.pgha.core.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the Postgres programs are. Either the configured bin dir, or the newest of the usual package locations:
 * Debian/Ubuntu {@code /usr/lib/postgresql/<ver>/bin}, RHEL/PGDG {@code /usr/pgsql-<ver>/bin}.
 */
public record PostgresBinaries(Path binDir, int majorVersion) {
    private static final Pattern DEBIAN = Pattern.compile("(\\d+)");
    private static final Pattern RHEL = Pattern.compile("pgsql-(\\d+)");

    /** Path of one program, e.g. {@code bin("pg_ctl")}. */
    public String bin(String program) {
        return binDir.resolve(program).toString();
    }

    /** Finds the binaries on this host: {@code configured} if given, else the newest installed package. */
    public static PostgresBinaries locate(Optional<Path> configured) {
        return locate(configured, Path.of("/"));
    }

    /** As {@link #locate(Optional)}, below {@code root} (tests use a fake tree). */
    static PostgresBinaries locate(Optional<Path> configured, Path root) {
        if (configured.isPresent()) {
            Path dir = configured.get();
            if (!Files.isExecutable(dir.resolve("pg_ctl"))) {
                throw new PostgresException("postgres.bin_dir " + dir + " has no executable pg_ctl; "
                        + installHint());
            }
            return new PostgresBinaries(dir, versionFromPath(dir).orElse(0));
        }
        List<PostgresBinaries> found = new ArrayList<>();
        scan(root.resolve("usr/lib/postgresql"), DEBIAN, "bin", found);
        scan(root.resolve("usr"), RHEL, "bin", found);
        return found.stream().max(Comparator.comparingInt(PostgresBinaries::majorVersion))
                .orElseThrow(() -> new PostgresException("no PostgreSQL binaries found in /usr/lib/postgresql/*/bin"
                        + " or /usr/pgsql-*/bin; " + installHint() + ", or set postgres.bin_dir"));
    }

    static String installHint() {
        return "install postgresql-15 (Debian/Ubuntu) or postgresql15-server (RHEL)";
    }

    private static void scan(Path parent, Pattern name, String bin, List<PostgresBinaries> into) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            dirs.forEach(dir -> {
                Matcher m = name.matcher(dir.getFileName().toString());
                if (m.matches() && Files.isExecutable(dir.resolve(bin).resolve("pg_ctl"))) {
                    into.add(new PostgresBinaries(dir.resolve(bin), Integer.parseInt(m.group(1))));
                }
            });
        } catch (java.io.IOException e) {
            throw new PostgresException("cannot list " + parent + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> versionFromPath(Path dir) {
        for (Path p = dir; p != null && p.getFileName() != null; p = p.getParent()) {
            String n = p.getFileName().toString();
            Matcher m = n.startsWith("pgsql-") ? RHEL.matcher(n) : DEBIAN.matcher(n);
            if (m.matches()) {
                return Optional.of(Integer.parseInt(m.group(1)));
            }
        }
        return Optional.empty();
    }
}
