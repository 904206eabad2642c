package io.pgha.core.cli;

import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.Environment;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pgha config}: check and show this node's configuration file (not the cluster's dynamic configuration). */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check or show this node's configuration file.",
        subcommands = {ConfigCheckCommand.class, ConfigShowCommand.class})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: show the usage and exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The root command of {@code spec}'s command line. */
    static PghaCommand root(CommandSpec spec) {
        return (PghaCommand) spec.root().userObject();
    }

    /** {@code file} if given, else {@code pgha --config}, else {@code $PGHA_CONFIG}, else the default path. */
    static Path locate(CommandSpec spec, String file) {
        PghaCommand root = root(spec);
        Environment env = root.environment();
        return ConfigLoader.locate(Optional.ofNullable(file != null ? file : root.config), env);
    }
}
