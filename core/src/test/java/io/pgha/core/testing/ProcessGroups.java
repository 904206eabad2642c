package io.pgha.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process group of a process, from /proc. */
final class ProcessGroups {
    private ProcessGroups() {
    }

    /** Field 5 of /proc/PID/stat, counted from the ')' closing the command name (which may hold spaces), or -1. */
    static long of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
