package io.pgha.core.config;

/**
 * One problem in a configuration file. Printed as {@code FILE:LINE:COLUMN: FIELD.PATH: MESSAGE}; for a value that does
 * not fit, MESSAGE reads {@code found X, expected Y}. Messages never contain secret values.
 *
 * @param file the file as the user named it
 * @param location where the offending key or value starts (the file start when the key is absent)
 * @param path the dotted field path, such as {@code ha.ttl} or {@code cluster.members[1].name}; {@code <yaml>} for
 *     syntax errors, {@code <file>} when the file cannot be read and {@code <root>} for the document itself
 * @param message what is wrong
 */
public record ConfigError(String file, Location location, String path, String message) {
    /** The one line printed for this error. */
    public String format() {
        return file + ":" + location.line() + ":" + location.column() + ": " + path + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
