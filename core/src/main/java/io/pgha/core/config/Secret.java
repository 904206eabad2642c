package io.pgha.core.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A password or token, read from a file or an environment variable. {@link #toString()} names where it came from
 * and masks the value, so a secret that ends up in a log line or an error message reveals nothing.
 */
public final class Secret {
    private static final String MASK = "********";

    private final Path file;
    private final String envVar;
    private final String value;

    private Secret(Path file, String envVar, String value) {
        this.file = file;
        this.envVar = envVar;
        this.value = Objects.requireNonNull(value);
    }

    /** A secret read from {@code file}; {@code value} is the file content without its trailing newline. */
    public static Secret fromFile(Path file, String value) {
        return new Secret(Objects.requireNonNull(file), null, value);
    }

    /** A secret taken from the environment variable {@code name}. */
    public static Secret fromEnv(String name, String value) {
        return new Secret(null, Objects.requireNonNull(name), value);
    }

    /** The file it was read from; empty when it came from the environment. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The environment variable it came from; empty when it was read from a file. */
    public Optional<String> envVar() {
        return Optional.ofNullable(envVar);
    }

    /** The secret itself. Call only where it is used (a connection, a file with mode 0600), never to print it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Objects.equals(file, s.file) && Objects.equals(envVar, s.envVar)
                && value.equals(s.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, envVar, value);
    }

    @Override
    public String toString() {
        return file != null ? "Secret(file " + file + ", " + MASK + ")" : "Secret(env " + envVar + ", " + MASK + ")";
    }
}
