package io.pgha.core.cli;

import io.pgha.core.config.ConfigError;
import io.pgha.core.config.ConfigException;
import io.pgha.core.config.ConfigLoader;
import io.pgha.core.config.ConfigRenderer;
import io.pgha.core.config.Environment;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pgha config show [--effective] [FILE]}: print the file as given, or with every default filled in. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the configuration file as written (inline secrets masked), or with --effective the"
                + " validated configuration with every default filled in. Secret values are never printed.")
final class ConfigShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--effective", description = "Print the merged configuration with every default filled in.")
    boolean effective;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "The file to show (default: --config, else $PGHA_CONFIG, else /etc/pgha/pgha.yml).")
    String file;

    @Override
    public Integer call() {
        Path path = ConfigCommand.locate(spec, file);
        Environment env = ConfigCommand.root(spec).environment();
        try {
            String text = effective ? ConfigRenderer.effective(ConfigLoader.load(path, env))
                    : ConfigRenderer.masked(ConfigLoader.read(path, env));
            spec.commandLine().getOut().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (ConfigException e) {
            e.errors().stream().map(ConfigError::format).forEach(spec.commandLine().getErr()::println);
            return ExitCodes.USAGE;
        }
    }
}
