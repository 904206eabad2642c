package io.pgha.core.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads and validates the node's configuration file. The public entry point of this package: the agent calls
 * {@link #load(Path, Environment)} before it starts anything, and either gets a complete configuration or every
 * problem of the file at once.
 */
public final class ConfigLoader {
    /** Where the configuration is when neither {@code --config} nor {@code PGHA_CONFIG} says otherwise. */
    public static final Path DEFAULT_PATH = Path.of("/etc/pgha/pgha.yml");
    /** The environment variable naming the configuration file. */
    public static final String CONFIG_VARIABLE = "PGHA_CONFIG";

    private ConfigLoader() {
    }

    /** The file to read: {@code flag} (from {@code --config}) if given, else {@code $PGHA_CONFIG}, else the default. */
    public static Path locate(Optional<String> flag, Environment env) {
        return flag.filter(f -> !f.isBlank()).or(() -> env.variable(CONFIG_VARIABLE)).map(Path::of)
                .orElse(DEFAULT_PATH);
    }

    /**
     * Reads {@code file} and returns the configuration with every default filled in.
     *
     * @throws ConfigException with every problem found when the file is unreadable, not YAML, or invalid
     */
    public static PghaConfig load(Path file, Environment env) throws ConfigException {
        return parse(file.toString(), read(file, env), env);
    }

    /** Reads the text of {@code file}, reporting an unreadable file in the usual error format. */
    public static String read(Path file, Environment env) throws ConfigException {
        try {
            return env.readFile(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (IOException e) {
            throw unreadable(file, e.getClass().getSimpleName());
        }
    }

    /**
     * Validates configuration {@code text}; {@code fileName} is how errors name the file.
     *
     * @throws ConfigException with every problem found
     */
    public static PghaConfig parse(String fileName, String text, Environment env) throws ConfigException {
        Diagnostics diagnostics = new Diagnostics(fileName);
        Optional<YamlNode> root = YamlTree.parse(text, diagnostics);
        if (root.isEmpty()) {
            throw new ConfigException(diagnostics.errors());
        }
        PghaConfig config = ConfigBinder.bind(Section.root(root.get(), diagnostics, env));
        ConfigRules.check(config, diagnostics);
        if (diagnostics.hasErrors()) {
            throw new ConfigException(diagnostics.errors());
        }
        return config;
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(List.of(new ConfigError(file.toString(), Location.START, "<file>",
                "found " + why + ", expected a readable YAML file")));
    }
}
