/**
 * The TCP proxy: RW connections to the current primary, RO connections to healthy replicas, following an immutable
 * routing table that the agent pushes in. Knows nothing of the store or of Postgres beyond the wire's first bytes.
 */
package io.pgha.proxy;
