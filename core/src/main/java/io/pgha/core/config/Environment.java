package io.pgha.core.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the configuration needs from the host: environment variables, the host's name and address, files, and where
 * PostgreSQL is installed. {@link #system()} is the real host; tests pass a fake.
 */
public interface Environment {
    /** The environment variable {@code name}; empty when unset or blank. */
    Optional<String> variable(String name);

    /** The host name, the default {@code node.name}; empty when it cannot be determined. */
    Optional<String> hostName();

    /** The host's first non-loopback IPv4 address, the default {@code node.address}; empty when there is none. */
    Optional<String> hostAddress();

    /** The directory holding {@code pg_ctl}, the default {@code postgres.bin_dir}; empty when none is found. */
    Optional<Path> postgresBinDir();

    /**
     * Reads a whole text file (the configuration, a secret).
     *
     * @throws IOException when the file is absent or cannot be read
     */
    String readFile(Path file) throws IOException;

    /** Whether {@code file} is a regular file this process can read (TLS certificates and keys). */
    boolean isReadableFile(Path file);

    /** The real host. */
    static Environment system() {
        return SystemEnvironment.INSTANCE;
    }
}
