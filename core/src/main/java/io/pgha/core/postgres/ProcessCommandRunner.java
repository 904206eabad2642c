package io.pgha.core.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs commands with {@link ProcessBuilder}. When the agent runs as root and the command asks for another user, it
 * is wrapped in {@code setpriv --reuid --regid --init-groups} (Postgres refuses to run as root); the environment
 * passes through setpriv unchanged, which is how secrets reach the child without a command line.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private static final int KEEP = 64 * 1024;
    private final String currentUser;

    public ProcessCommandRunner() {
        this(System.getProperty("user.name"));
    }

    ProcessCommandRunner(String currentUser) {
        this.currentUser = currentUser;
    }

    /** The argv actually executed: switched to {@code runAs} when needed. */
    List<String> effectiveArgv(Command command) {
        List<String> argv = new ArrayList<>();
        if (command.runAs().isPresent() && !command.runAs().get().equals(currentUser)) {
            if (!"root".equals(currentUser)) {
                throw new PostgresException("cannot run " + command.argv().get(0) + " as " + command.runAs().get()
                        + ": the agent runs as " + currentUser + " (run it as root or as " + command.runAs().get()
                        + ")");
            }
            String user = command.runAs().get();
            argv.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        argv.addAll(command.argv());
        return argv;
    }

    @Override
    public CommandResult run(Command command, Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(effectiveArgv(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(command.env());
        command.workDir().ifPresent(d -> pb.directory(d.toFile()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new PostgresException("cannot start " + command + ": " + e.getMessage(), e);
        }
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> pump(process.getInputStream(), output, lines), "cmd-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new PostgresException(command + " did not finish within " + command.timeout());
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while running " + command, e);
        }
        synchronized (output) {
            return new CommandResult(process.exitValue(), output.toString());
        }
    }

    private static void pump(InputStream in, StringBuilder output, Consumer<String> lines) {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) != -1) {
                if (c == '\n' || c == '\r') {
                    emit(line, output, lines);
                } else {
                    line.append((char) c);
                }
            }
            emit(line, output, lines);
        } catch (IOException e) {
            // The process ended or was killed; what was read is all there is.
        }
    }

    private static void emit(StringBuilder line, StringBuilder output, Consumer<String> lines) {
        if (line.length() == 0) {
            return;
        }
        String text = line.toString();
        line.setLength(0);
        synchronized (output) {
            output.append(text).append('\n');
            if (output.length() > KEEP) {
                output.delete(0, output.length() - KEEP);
            }
        }
        lines.accept(text);
    }
}
