package io.pgha.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was rejected; carries every error found, in file order. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::format).collect(Collectors.joining(System.lineSeparator())));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** The errors, one per problem, sorted by line and column. */
    public List<ConfigError> errors() {
        return errors;
    }
}
