package io.pgha.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the node agent. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the node agent; bootstraps a new cluster if none exists, or joins one with --join.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--join", paramLabel = "HOST[:PORT]", description = "Join the cluster that this member belongs to.")
    String join;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String config;

    @Override
    public Integer call() {
        return runAgent(CommandLine.Help.Ansi.OFF);
    }

    int runAgent(CommandLine.Help.Ansi ansi) {
        System.err.println("pgha run: the node agent is not available in this build yet;"
                + " see README.md for what works.");
        return ExitCodes.FAILED;
    }
}
