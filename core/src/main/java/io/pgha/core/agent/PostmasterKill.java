package io.pgha.core.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease fence's action: stop a primary Postgres at once, without pg_ctl, SQL, the store or a process to start.
 * The HA loop {@link #aim() aims} after every renewal: it finds the running primary's postmaster and backends, so that
 * firing, possibly right after the whole node resumed from a freeze, is a handful of kill(2) calls on cold code: the
 * postmaster first (no new backends), then the backends seen, then a sweep of the postmaster's process group for any
 * forked since (pg_ctl starts the postmaster in a session of its own). A standby is never aimed at. SIGQUIT through
 * the postmaster (pg_ctl's immediate mode) would need the postmaster scheduled first, which a backend holding a
 * commit could outrun. The data directory is left as after a crash; pg_rewind (PG 13+) runs crash recovery itself.
 */
final class PostmasterKill {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterKill.class);
    private final Path dataDir;
    private volatile Target target;

    /** What to kill: ProcessHandle checks the start time, so a handle never hits a reused pid. */
    private record Target(long pid, ProcessHandle postmaster, List<ProcessHandle> backends) {
    }

    PostmasterKill(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Called by the loop after a renewal: aims at the running primary, or at nothing for a standby or no server. */
    void aim() {
        target = findPrimary().orElse(null);
    }

    /**
     * Kills the aimed-at postmaster, its backends and its process group; aims anew first if never aimed.
     *
     * @return a line for the log, or empty if there was no primary to kill
     */
    Optional<String> fire() {
        long begin = System.nanoTime();
        Target t = target;
        if (t == null) {
            t = findPrimary().orElse(null);
            if (t == null) {
                return Optional.empty();
            }
        }
        t.postmaster().destroyForcibly();
        for (ProcessHandle b : t.backends()) {
            b.destroyForcibly();
        }
        long killed = System.nanoTime();
        long swept = 0;
        Optional<Long> group = Optional.of(t.pid());
        for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
            if (processGroup(h.pid()).equals(group) && h.destroyForcibly()) {
                swept++;
            }
        }
        target = null;
        return Optional.of("killed postmaster " + t.pid() + " and " + t.backends().size() + " backends in "
                + (killed - begin) / 1000 + " us, then " + swept + " more of its process group");
    }

    private Optional<Target> findPrimary() {
        Optional<List<String>> pidFile = readPidFile();
        if (pidFile.isEmpty() || pidFile.get().isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = pidFile.get();
        if (lines.size() >= 8 && lines.get(7).strip().startsWith("standby")) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            LOG.warn("postmaster.pid unreadable: {}", lines.get(0));
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(PostmasterKill::isPostgres)
                .map(h -> new Target(pid, h, h.children().toList()));
    }

    private Optional<List<String>> readPidFile() {
        try {
            return Optional.of(Files.readAllLines(dataDir.resolve("postmaster.pid")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Guards against a stale postmaster.pid whose number now belongs to another process. */
    private static boolean isPostgres(ProcessHandle h) {
        return h.isAlive() && h.info().command().filter(c -> c.endsWith("postgres") || c.endsWith("postmaster"))
                .isPresent();
    }

    /** Field 5 of /proc/PID/stat; the command name in field 2 may contain spaces, so count from its ')'. */
    static Optional<Long> processGroup(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(rest[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
