package io.pgha.store.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code etcdctl} (v3 API) against one endpoint, with a deadline on every call. */
final class Etcdctl {
    static final String BINARY = "/usr/bin/etcdctl";

    private final String endpoints;

    Etcdctl(String endpoints) {
        this.endpoints = endpoints;
    }

    /** What a finished etcdctl run printed. */
    record Result(int exitCode, String out, String err) {
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        Process p = start(args);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish within 20 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--endpoints", endpoints, "--dial-timeout", "3s",
                "--command-timeout", "10s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ETCDCTL_API", "3");
        return pb.start();
    }

    /** A long-running etcdctl (watch) whose stdout lines are collected as they arrive. */
    static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Running(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process was killed: no more lines
                }
            }, "etcdctl-stdout-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** The next {@code n} lines, or fails when they do not arrive within the deadline. */
        List<String> next(int n, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<String> got = new ArrayList<>();
            while (got.size() < n) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("expected " + n + " lines within " + timeoutSeconds + " s, got " + got);
                }
                got.add(line);
            }
            return got;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
