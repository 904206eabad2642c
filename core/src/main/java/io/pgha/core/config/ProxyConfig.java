package io.pgha.core.config;

import java.time.Duration;

/**
 * The {@code proxy} section: the TCP proxy in front of Postgres.
 *
 * @param enabled run the proxy, default true
 * @param listen the address it listens on, default 0.0.0.0
 * @param rwPort connections routed to the primary, default 5432
 * @param roPort connections spread over healthy replicas, default 5433
 * @param statsPort the statistics page, default 8404
 * @param roMaxLag replicas further behind leave the RO pool, default 1MB
 * @param roFallbackToPrimary route RO to the primary when no replica qualifies, default true
 * @param holdTimeout how long a new connection waits for a primary during a failover, default 5s
 * @param maxConnections the limit per port, default 1000
 * @param connectTimeout the timeout to connect to a backend, default 2s
 */
public record ProxyConfig(boolean enabled, String listen, int rwPort, int roPort, int statsPort, ByteSize roMaxLag,
                          boolean roFallbackToPrimary, Duration holdTimeout, int maxConnections,
                          Duration connectTimeout) {
}
