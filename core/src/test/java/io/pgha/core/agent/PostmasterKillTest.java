package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the lease fence kills and what it leaves alone, with real processes (no Postgres: FencingIT has that). */
class PostmasterKillTest {
    @TempDir
    Path dataDir;

    @Test
    void aProcessStartedInItsOwnSessionLeadsItsGroupAndAChildDoesNot() throws Exception {
        Process leader = new ProcessBuilder("setsid", "sleep", "60").start();
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(PostmasterKill.processGroup(leader.pid())).contains(leader.pid());
            assertThat(PostmasterKill.processGroup(child.pid())).isPresent().get().isNotEqualTo(child.pid());
            assertThat(PostmasterKill.processGroup(Long.MAX_VALUE)).isEmpty();
        } finally {
            leader.destroyForcibly();
            child.destroyForcibly();
        }
    }

    @Test
    void aStandbyOrAStoppedServerIsLeftAlone() throws IOException {
        PostmasterKill kill = new PostmasterKill(dataDir);
        assertThat(kill.killUnlessStandby("test")).isFalse();
        Files.writeString(dataDir.resolve("postmaster.pid"), pidFile(ProcessHandle.current().pid(), "standby"));
        assertThat(kill.killUnlessStandby("test")).isFalse();
    }

    @Test
    void aStalePidFileNamingAnotherProgramKillsNothing() throws Exception {
        Process unrelated = new ProcessBuilder("setsid", "sleep", "60").start();
        try {
            Files.writeString(dataDir.resolve("postmaster.pid"), pidFile(unrelated.pid(), "ready"));
            assertThat(new PostmasterKill(dataDir).killUnlessStandby("test")).isFalse();
            assertThat(unrelated.waitFor(200, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    /** The PG 15 postmaster.pid layout: pid, data dir, start time, port, socket dir, listen, shmem key, status. */
    private String pidFile(long pid, String status) {
        return pid + "\n" + dataDir + "\n1700000000\n5432\n/tmp\n*\n  1234  5678\n" + status + "\n";
    }
}
