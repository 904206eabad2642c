package io.pgha.core.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease fence's action: stop a primary Postgres at once, without pg_ctl, without SQL and without the store, so
 * that nothing it does can hang. pg_ctl starts the postmaster in a session of its own, so the postmaster leads a
 * process group holding every backend: one {@code kill -KILL -- -pgid} ends all of them in a single system call,
 * without waiting for the postmaster to be scheduled and relay a SIGQUIT (which a backend holding a commit could
 * otherwise outrun). The data directory is left as after a crash; pg_rewind (PG 13+) runs crash recovery itself.
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
        if (!isPostgres(pid)) {
            LOG.info("lease fence ({}): postmaster {} is gone", why, pid);
            return false;
        }
        boolean leader = processGroup(pid).filter(g -> g == pid).isPresent();
        // Without its own group (started by hand) the postmaster must relay the stop: SIGQUIT, pg_ctl's immediate.
        List<String> argv = leader ? List.of("kill", "-KILL", "--", "-" + pid) : List.of("kill", "-QUIT", "" + pid);
        run(argv);
        LOG.warn("lease fence ({}): {} postmaster {}", why, leader ? "killed the process group of" : "sent SIGQUIT to",
                pid);
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
    private static boolean isPostgres(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command())
                .filter(c -> c.endsWith("postgres") || c.endsWith("postmaster")).isPresent();
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

    private static void run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("{} did not finish within 10 s", String.join(" ", argv));
            } else if (p.exitValue() != 0) {
                LOG.warn("{} exited {}: {}", String.join(" ", argv), p.exitValue(),
                        new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
