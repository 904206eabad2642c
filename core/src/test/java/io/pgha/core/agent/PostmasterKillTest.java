package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the lease fence kills and what it leaves alone, with real processes. A copy of bash named {@code postgres}
 * stands in for a postmaster with two children in its own session; FencingIT kills real Postgres.
 */
class PostmasterKillTest {
    @TempDir
    Path dir;

    @Test
    void aProcessStartedInItsOwnSessionLeadsItsGroupAndAChildDoesNot() throws Exception {
        Process leader = new ProcessBuilder("setsid", "sleep", "60").start();
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            // The fork runs setsid a moment after start(): until then it is still in the JVM's group.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!PostmasterKill.processGroup(leader.pid()).equals(java.util.Optional.of(leader.pid()))
                    && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertThat(PostmasterKill.processGroup(leader.pid())).contains(leader.pid());
            assertThat(PostmasterKill.processGroup(child.pid())).isPresent().get().isNotEqualTo(child.pid());
            assertThat(PostmasterKill.processGroup(Long.MAX_VALUE)).isEmpty();
        } finally {
            leader.destroyForcibly();
            child.destroyForcibly();
        }
    }

    @Test
    void aStandbyOrAStoppedServerIsLeftAlone() throws Exception {
        PostmasterKill kill = new PostmasterKill(dir);
        kill.aim();
        assertThat(kill.fire()).isEmpty();
        Files.writeString(dir.resolve("postmaster.pid"), pidFile(ProcessHandle.current().pid(), "standby"));
        kill.aim();
        assertThat(kill.fire()).isEmpty();
    }

    @Test
    void aStalePidFileNamingAnotherProgramKillsNothing() throws Exception {
        Process unrelated = new ProcessBuilder("setsid", "sleep", "60").start();
        try {
            Files.writeString(dir.resolve("postmaster.pid"), pidFile(unrelated.pid(), "ready"));
            PostmasterKill kill = new PostmasterKill(dir);
            kill.aim();
            assertThat(kill.fire()).isEmpty();
            assertThat(unrelated.waitFor(200, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void firingKillsThePostmasterItsChildrenAndOnesForkedAfterAiming() throws Exception {
        Path fake = dir.resolve("postgres");
        Files.copy(Path.of("/bin/bash"), fake, StandardCopyOption.COPY_ATTRIBUTES);
        Path late = dir.resolve("fork-now");
        // Two children at once, a third once told to: the fence must also catch a backend forked after aim().
        Process pm = new ProcessBuilder("setsid", fake.toString(), "-c", "sleep 600 & sleep 600 & "
                + "while [ ! -e " + late + " ]; do sleep 0.05; done; sleep 600 & wait").start();
        try {
            await(() -> ProcessHandle.of(pm.pid()).map(h -> h.children().count() >= 2).orElse(false));
            Files.writeString(dir.resolve("postmaster.pid"), pidFile(pm.pid(), "ready"));
            PostmasterKill kill = new PostmasterKill(dir);
            kill.aim();
            Files.writeString(late, "");
            await(() -> ProcessHandle.of(pm.pid()).map(h -> h.children().count() >= 3).orElse(false));
            List<ProcessHandle> all = ProcessHandle.of(pm.pid()).orElseThrow().children().toList();
            assertThat(kill.fire()).get().asString().startsWith("killed postmaster " + pm.pid() + " and ");
            assertThat(pm.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle child : all) {
                await(() -> !child.isAlive());
            }
        } finally {
            pm.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            pm.destroyForcibly();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** The PG 15 postmaster.pid layout: pid, data dir, start time, port, socket dir, listen, shmem key, status. */
    private String pidFile(long pid, String status) {
        return pid + "\n" + dir + "\n1700000000\n5432\n/tmp\n*\n  1234  5678\n" + status + "\n";
    }
}
