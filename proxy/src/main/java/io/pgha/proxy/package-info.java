/**
 * The TCP proxy: RW connections to the current primary, RO connections to healthy replicas, following an immutable
 * {@link io.pgha.proxy.RoutingTable} that the agent pushes in through {@link io.pgha.proxy.PgProxy}. Knows nothing of
 * the store or of Postgres beyond the wire's first bytes, never terminates TLS, and fails RW closed when the agent
 * stops confirming the leader (ARCHITECTURE.md safety rule 2), while RO keeps serving.
 */
package io.pgha.proxy;
