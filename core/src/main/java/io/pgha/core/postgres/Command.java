package io.pgha.core.postgres;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One external command. Secrets never go into {@code argv} (visible in {@code ps} and logged); they go into
 * {@code env} (e.g. {@code PGPASSWORD}) or a 0600 passfile named in {@code env}.
 *
 * @param argv    program and arguments
 * @param env     extra environment of the child (added to the agent's)
 * @param runAs   OS user to run as; when the agent is root and this differs, the runner switches user
 * @param workDir working directory, if it matters
 * @param timeout the command is killed after this long
 */
public record Command(List<String> argv, Map<String, String> env, Optional<String> runAs, Optional<Path> workDir,
                      Duration timeout) {
    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    public static Command of(Duration timeout, String... argv) {
        return new Command(List.of(argv), Map.of(), Optional.empty(), Optional.empty(), timeout);
    }

    public Command as(String user) {
        return new Command(argv, env, Optional.of(user), workDir, timeout);
    }

    public Command withEnv(Map<String, String> extra) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(env);
        all.putAll(extra);
        return new Command(argv, all, runAs, workDir, timeout);
    }

    public Command in(Path dir) {
        return new Command(argv, env, runAs, Optional.of(dir), timeout);
    }

    /** The command for logs and error messages: argv only, never the environment. */
    @Override
    public String toString() {
        return String.join(" ", argv) + runAs.map(u -> " (as " + u + ")").orElse("");
    }
}
