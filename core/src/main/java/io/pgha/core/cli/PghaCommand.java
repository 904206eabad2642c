package io.pgha.core.cli;

import io.pgha.core.config.Environment;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top-level {@code pgha} command; with no subcommand it behaves as {@code pgha run}. */
@Command(name = "pgha", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PostgreSQL high availability in one process per node: store, agent, proxy, backup, hardening.",
        subcommands = {
            RunCommand.class, WitnessCommand.class, DemoCommand.class, ListCommand.class,
            SwitchoverCommand.class, FailoverCommand.class, ReinitCommand.class, RestartCommand.class,
            PauseCommand.class, ResumeCommand.class, HistoryCommand.class, ShowConfigCommand.class,
            EditConfigCommand.class, BackupCommand.class, RestoreCommand.class, ApplyCommand.class,
            DsnCommand.class, StopCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class})
public final class PghaCommand implements Callable<Integer> {
    /** Where configuration lookups (PGHA_CONFIG, secrets, host name) go; the real host unless a test replaces it. */
    private final Environment environment;

    @Spec
    CommandSpec spec;

    @Option(names = "--join", paramLabel = "HOST[:PORT]", description = "Join the cluster that this member belongs to.")
    String join;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String config;

    PghaCommand(Environment environment) {
        this.environment = Objects.requireNonNull(environment);
    }

    Environment environment() {
        return environment;
    }

    @Override
    public Integer call() {
        return RunCommand.runAgent(spec.commandLine().getErr(), environment, config, join);
    }

    /** The configured command line: exit codes 0/1/2, no stack traces for user errors. */
    public static CommandLine commandLine() {
        return commandLine(Environment.system());
    }

    /** The command line reading configuration through {@code environment} (tests pass a fake). */
    public static CommandLine commandLine(Environment environment) {
        CommandLine cli = new CommandLine(new PghaCommand(environment));
        cli.setExitCodeExceptionMapper(ex -> ExitCodes.FAILED);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("pgha: " + ex.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("pgha: " + ex.getMessage());
            return ExitCodes.FAILED;
        });
        return cli;
    }
}
