/**
 * The Patroni-compatible REST API (port 8008) on the JDK HTTP server: health probes with Patroni's status codes
 * ({@code /primary}, {@code /replica?lag=&tag_k=v}, {@code /read-only}, {@code /sync}, {@code /async},
 * {@code /health}, {@code /liveness}, {@code /readiness}) and state ({@code /cluster}, {@code /history},
 * {@code /config}, {@code /metrics}). Handlers are thin: they read {@link io.pgha.core.rest.NodeStatusService} and
 * render; the rules live in {@link io.pgha.core.rest.HealthChecks}.
 */
package io.pgha.core.rest;
