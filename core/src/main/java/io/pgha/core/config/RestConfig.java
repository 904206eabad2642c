package io.pgha.core.config;

import java.util.Optional;

/**
 * The {@code rest} section: the Patroni-compatible REST API.
 *
 * @param listen the address it listens on, default node.address
 * @param port default 8008
 * @param username the user for mutating endpoints (basic auth); set together with a password
 * @param password from {@code password_file} or {@code PGHA_REST_PASSWORD}
 */
public record RestConfig(String listen, int port, Optional<String> username, Optional<Secret> password) {
}
