package io.pgha.core.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Making and moving a replica: clone with pg_basebackup (our own primary_conninfo, primary_slot_name and
 * standby.signal instead of {@code -R}), follow another primary with a reload (PG 13+), and rejoin a former primary
 * with pg_rewind. Passwords reach the tools through the passfile named in {@code PGPASSFILE}; command lines and
 * logged messages carry none.
 */
public final class Replica {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    private final PostgresSettings settings;
    private final PostgresBinaries binaries;
    private final CommandRunner runner;
    private final PostgresConfigFiles files;

    public Replica(PostgresSettings settings, String memberName, PostgresBinaries binaries, CommandRunner runner) {
        this.settings = settings;
        this.binaries = binaries;
        this.runner = runner;
        this.files = new PostgresConfigFiles(settings, memberName);
    }

    /** The physical slot a member streams through: Postgres allows only {@code [a-z0-9_]}. */
    public static String slotNameFor(String member) {
        return member.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /**
     * Clones {@code from} into the (absent or empty) data directory, reporting progress, then writes the standby
     * configuration. The slot named in {@code from} must exist on the source.
     *
     * @return how long pg_basebackup took
     * @throws PostgresException if the data directory holds anything, or pg_basebackup fails
     */
    public Duration clone(Upstream from, Consumer<CloneProgress> progress, Duration timeout) {
        Path data = settings.dataDir();
        if (Files.exists(data.resolve("PG_VERSION"))) {
            throw new PostgresException("refusing to clone into " + data + ": it already holds a cluster");
        }
        files.writePassfile();
        Command cmd = new Command(java.util.List.of(binaries.bin("pg_basebackup"), "-D", data.toString(), "-h",
                from.host(), "-p", String.valueOf(from.port()), "-U", settings.replicationUser(), "-X", "stream",
                "-c", "fast", "--progress", "--no-password"), Map.of(), Optional.empty(), Optional.empty(), timeout);
        if (from.slotName().isPresent()) {
            java.util.List<String> argv = new java.util.ArrayList<>(cmd.argv());
            argv.addAll(java.util.List.of("-S", from.slotName().get()));
            cmd = new Command(argv, Map.of(), Optional.empty(), Optional.empty(), timeout);
        }
        long start = System.nanoTime();
        CommandResult result = runner.run(asPostgres(cmd), line -> CloneProgress.parse(line).ifPresent(progress));
        if (!result.ok()) {
            throw new PostgresException("pg_basebackup from " + from.host() + ":" + from.port() + " failed (exit "
                    + result.exitCode() + "): " + CommandRunner.tail(result.output()));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        files.write(Optional.of(from), true);
        return took;
    }

    /**
     * Points this standby at {@code newPrimary} and reloads; PG 13+ re-connects the WAL receiver without a restart.
     * Works on a stopped server too (the next start follows).
     */
    public void follow(Upstream newPrimary, PostgresProcess process) {
        files.write(Optional.of(newPrimary), true);
        if (process.isRunning()) {
            process.reload();
        }
    }

    /**
     * pg_rewind against {@code source} (a running primary), connecting as the superuser. The local server must be
     * stopped cleanly. A CHECKPOINT on the source comes first: right after a promotion the source's pg_control still
     * names the old timeline until its first checkpoint, and pg_rewind, reading that, finds "the same timeline" and
     * exits 0 without rewinding, leaving a diverged former primary that can never stream (seen in
     * PartitionFencingIT, rewinding 1 s after the promotion). On success the standby configuration for
     * {@code source} is written.
     *
     * @return whether the rewind succeeded; on false the data directory may be unusable and must be re-cloned
     */
    public boolean rewind(Upstream source, Duration timeout) {
        files.writePassfile();
        String conninfo = "host=" + ConfigRenderer.conninfoValue(source.host()) + " port=" + source.port()
                + " user=" + ConfigRenderer.conninfoValue(settings.superuser()) + " dbname=postgres";
        CommandResult checkpoint = runner.run(asPostgres(Command.of(timeout, binaries.bin("psql"), "-X", "-w", "-q",
                "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", "CHECKPOINT")));
        if (!checkpoint.ok()) {
            // pg_rewind then either fails too or finds the timelines apart on its own: let it decide.
            LOG.warn("CHECKPOINT on {}:{} before pg_rewind failed (exit {}): {}", source.host(), source.port(),
                    checkpoint.exitCode(), CommandRunner.tail(checkpoint.output()));
        }
        Command cmd = Command.of(timeout, binaries.bin("pg_rewind"), "-D", settings.dataDir().toString(),
                "--source-server=" + conninfo, "--progress");
        CommandResult result = runner.run(asPostgres(cmd));
        if (result.ok()) {
            files.write(Optional.of(source), true);
        } else {
            LOG.warn("pg_rewind from {}:{} failed (exit {}): {}", source.host(), source.port(), result.exitCode(),
                    CommandRunner.tail(result.output()));
        }
        return result.ok();
    }

    private Command asPostgres(Command cmd) {
        return cmd.as(settings.osUser()).in(settings.dataDir().toAbsolutePath().getParent())
                .withEnv(Map.of("PGPASSFILE", settings.passfile().toString(), "LC_ALL", "C"));
    }
}
