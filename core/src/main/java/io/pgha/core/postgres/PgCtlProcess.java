package io.pgha.core.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@link PostgresProcess} with initdb and pg_ctl, run as the Postgres OS user through a {@link CommandRunner}. */
public final class PgCtlProcess implements PostgresProcess {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private final PostgresSettings settings;
    private final PostgresBinaries binaries;
    private final CommandRunner runner;

    public PgCtlProcess(PostgresSettings settings, PostgresBinaries binaries, CommandRunner runner) {
        this.settings = settings;
        this.binaries = binaries;
        this.runner = runner;
    }

    /** The postmaster's log: next to the data directory, so clones and rewinds do not copy it around. */
    public Path logFile() {
        return settings.dataDir().resolveSibling(settings.dataDir().getFileName() + ".log");
    }

    @Override
    public void initdb() {
        if (dataDirPresent()) {
            throw new PostgresException("initdb refused: " + settings.dataDir() + " already holds a cluster");
        }
        Path pwfile = settings.dataDir().resolveSibling("." + settings.dataDir().getFileName() + ".initdb-pw");
        PostgresConfigFiles files = new PostgresConfigFiles(settings, "initdb");
        try {
            // The superuser password reaches initdb through a 0600 file, never through argv.
            files.writeFile(pwfile, settings.superuserPassword().value() + "\n", "rw-------");
            runner.runChecked(command(Duration.ofMinutes(5), binaries.bin("initdb"), "-D",
                    settings.dataDir().toString(), "--data-checksums", "--auth-local=peer",
                    "--auth-host=scram-sha-256", "--username=" + settings.superuser(), "--pwfile=" + pwfile,
                    "--encoding=UTF8", "--locale=C"));
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                // Best effort: the file is 0600 and owned by the Postgres user.
            }
        }
    }

    @Override
    public void start(Duration timeout) {
        if (state().isUp()) {
            return;
        }
        CommandResult result = runner.run(command(timeout.plusSeconds(5), binaries.bin("pg_ctl"), "start", "-D",
                settings.dataDir().toString(), "-l", logFile().toString(), "-w", "-t",
                String.valueOf(Math.max(1, timeout.toSeconds()))));
        if (!result.ok()) {
            throw new PostgresException("pg_ctl start failed (exit " + result.exitCode() + "): "
                    + CommandRunner.tail(result.output()) + "; server log " + logFile() + " ends with: "
                    + logTail());
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void stop(ShutdownMode mode, Duration timeout) {
        if (state() == PostgresState.STOPPED || !dataDirPresent()) {
            return;
        }
        CommandResult result = runner.run(command(timeout.plusSeconds(5), binaries.bin("pg_ctl"), "stop", "-D",
                settings.dataDir().toString(), "-m", mode.pgCtlName(), "-w", "-t",
                String.valueOf(Math.max(1, timeout.toSeconds()))));
        if (!result.ok() && state().isUp()) {
            throw new PostgresException("pg_ctl stop -m " + mode.pgCtlName() + " failed: "
                    + CommandRunner.tail(result.output()));
        }
    }

    @Override
    public void promote(Duration timeout) {
        runner.runChecked(command(timeout.plusSeconds(5), binaries.bin("pg_ctl"), "promote", "-D",
                settings.dataDir().toString(), "-w", "-t", String.valueOf(Math.max(1, timeout.toSeconds()))));
    }

    @Override
    public void reload() {
        runner.runChecked(command(SHORT, binaries.bin("pg_ctl"), "reload", "-D", settings.dataDir().toString()));
    }

    /**
     * {@code pg_ctl status}: 0 running, 3 not running, 4 no data directory. A running server is STARTING until
     * postmaster.pid reports "ready" or "standby"; a stopped one with a leftover postmaster.pid CRASHED.
     */
    @Override
    public PostgresState state() {
        if (!dataDirPresent()) {
            return PostgresState.STOPPED;
        }
        CommandResult status = runner.run(command(SHORT, binaries.bin("pg_ctl"), "status", "-D",
                settings.dataDir().toString()));
        Path pid = settings.dataDir().resolve("postmaster.pid");
        if (status.exitCode() == 0) {
            return pmStatus(pid).map(s -> s.startsWith("ready") || s.startsWith("standby")
                    ? PostgresState.RUNNING : PostgresState.STARTING).orElse(PostgresState.RUNNING);
        }
        return Files.exists(pid) ? PostgresState.CRASHED : PostgresState.STOPPED;
    }

    @Override
    public boolean dataDirPresent() {
        return Files.exists(settings.dataDir().resolve("PG_VERSION"));
    }

    /** Line 8 of postmaster.pid (PG 10+): starting, stopping, ready or standby. */
    private static java.util.Optional<String> pmStatus(Path pid) {
        try {
            List<String> lines = Files.readAllLines(pid);
            return lines.size() >= 8 ? java.util.Optional.of(lines.get(7).strip()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private Command command(Duration timeout, String... argv) {
        // The Postgres user must be able to enter the working directory, or initdb and pg_ctl fail.
        return Command.of(timeout, argv).as(settings.osUser()).withEnv(java.util.Map.of("LC_ALL", "C"))
                .in(settings.dataDir().toAbsolutePath().getParent());
    }
}
