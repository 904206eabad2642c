/**
 * Command-line entry points around the proxy, for benchmarks and manual tests without an HA agent.
 */
package io.pgha.proxy.tool;
