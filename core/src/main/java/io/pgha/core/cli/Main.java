package io.pgha.core.cli;

/** Entry point of {@code pgha.jar}: with no subcommand it runs the agent, as {@code pgha run} would. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code instead of exiting, for tests. */
    public static int execute(String... args) {
        return PghaCommand.commandLine().execute(args);
    }
}
