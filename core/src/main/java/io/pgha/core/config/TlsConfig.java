package io.pgha.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code tls} section. When enabled, all three files are required and must be readable.
 *
 * @param enabled use TLS, default false
 * @param certFile this node's certificate (PEM)
 * @param keyFile its private key (PEM)
 * @param caFile the CA that signed every node's certificate (PEM)
 */
public record TlsConfig(boolean enabled, Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile) {
}
