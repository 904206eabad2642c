package io.pgha.core.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease fence's action: stop a primary Postgres at once, without pg_ctl, without SQL, without the store and
 * without starting a process, so that nothing it does can hang or wait for a busy machine to fork. It snapshots the
 * postmaster's children, SIGKILLs the postmaster (no new backends), then the snapshot, then sweeps the postmaster's
 * process group for a backend forked in between (pg_ctl starts the postmaster in a session of its own, so the group
 * holds every backend). Each kill is one kill(2) from this JVM. SIGQUIT through the postmaster (pg_ctl's immediate
 * mode) would need the postmaster scheduled first, which a backend holding a commit could outrun. The data directory
 * is left as after a crash; pg_rewind (PG 13+) runs crash recovery itself.
 */
final class PostmasterKill {
    private static final Logger LOG = LoggerFactory.getLogger(PostmasterKill.class);
    private final Path dataDir;

    PostmasterKill(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Kills the postmaster and its backends unless the server is a standby (which cannot take writes).
     *
     * @param why what the log line gives as the reason
     * @return whether a running primary (or a server in an unknown state) was stopped
     */
    boolean killUnlessStandby(String why) {
        long begin = System.nanoTime();
        Optional<List<String>> pidFile = readPidFile();
        if (pidFile.isEmpty() || pidFile.get().isEmpty()) {
            LOG.info("lease fence ({}): postgres is not running", why);
            return false;
        }
        List<String> lines = pidFile.get();
        if (lines.size() >= 8 && lines.get(7).strip().startsWith("standby")) {
            LOG.info("lease fence ({}): postgres is a standby, which takes no writes", why);
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            LOG.warn("lease fence ({}): postmaster.pid unreadable: {}", why, lines.get(0));
            return false;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid).filter(PostmasterKill::isPostgres);
        if (postmaster.isEmpty()) {
            LOG.info("lease fence ({}): postmaster {} is gone", why, pid);
            return false;
        }
        List<ProcessHandle> backends = postmaster.get().children().toList();
        postmaster.get().destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        long killed = System.nanoTime();
        long swept = ProcessHandle.allProcesses().filter(h -> processGroup(h.pid()).filter(g -> g == pid).isPresent())
                .filter(ProcessHandle::destroyForcibly).count();
        LOG.warn("lease fence ({}): killed postmaster {} and {} backends in {} us (+{} in its process group)", why,
                pid, backends.size(), (killed - begin) / 1000, swept);
        return true;
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
