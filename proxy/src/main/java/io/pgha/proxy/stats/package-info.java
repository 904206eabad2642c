/**
 * The stats listener: a self-refreshing HTML page, {@code /stats.json} and Prometheus {@code /metrics}, all rendered
 * from one {@link io.pgha.proxy.ProxyStats} snapshot. Read-only; it never changes routing.
 */
package io.pgha.proxy.stats;
