package io.pgha.core.postgres;

import java.util.function.Consumer;

/**
 * Runs external commands (initdb, pg_ctl, pg_basebackup, pg_rewind). A port so that unit tests use a fake.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} to completion and hands every output line (split at {@code \n} and {@code \r}, so
     * progress lines arrive as they are drawn) to {@code lines}, from a reader thread, in order.
     *
     * @return the exit code and output; a non-zero exit is a result, not an exception
     * @throws PostgresException if the command cannot be started, or was killed after its timeout
     */
    CommandResult run(Command command, Consumer<String> lines);

    default CommandResult run(Command command) {
        return run(command, line -> { });
    }

    /** Runs and throws {@link PostgresException} (with the output's tail) unless the exit code is 0. */
    default CommandResult runChecked(Command command) {
        CommandResult result = run(command);
        if (!result.ok()) {
            throw new PostgresException(command.argv().get(0) + " failed with exit code " + result.exitCode() + ": "
                    + tail(result.output()));
        }
        return result;
    }

    static String tail(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
    }
}
