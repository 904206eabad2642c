package io.pgha.core.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code pgha witness --join node1}: a store-only voter for a two-node cluster. It reads the same configuration file
 * as a data node (cluster name and token, node name and address, store ports, rest port, data_dir for the store) and
 * ignores the postgres and proxy sections.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
        description = "Run a store-only voter for a two-node cluster (no Postgres).")
final class WitnessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    PghaCommand parent;

    @Option(names = "--join", paramLabel = "HOST[:PORT]",
            description = "A data node of the cluster to join (needed the first time; a restart rejoins by itself).")
    String join;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String config;

    @Override
    public Integer call() {
        return RunCommand.runAgent(spec.commandLine().getErr(), parent.environment(),
                config != null ? config : parent.config, join != null ? join : parent.join, true);
    }
}
