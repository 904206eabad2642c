package io.pgha.core.cli;

import io.pgha.core.config.ConfigError;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgha config check [FILE]}: validate, and print every error of a bad file. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a configuration file: exit 0 if it is valid, else print every error and exit 2.",
            "Errors read FILE:LINE:COLUMN: FIELD.PATH: MESSAGE."})
final class ConfigCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "The file to check (default: --config, else $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String file;

    @Override
    public Integer call() {
        Path path = ConfigCommand.locate(spec, file);
        try {
            ConfigLoader.load(path, ConfigCommand.root(spec).environment());
        } catch (ConfigException e) {
            e.errors().stream().map(ConfigError::format).forEach(spec.commandLine().getErr()::println);
            return ExitCodes.USAGE;
        }
        spec.commandLine().getOut().println(path + ": configuration is valid");
        return ExitCodes.OK;
    }
}
