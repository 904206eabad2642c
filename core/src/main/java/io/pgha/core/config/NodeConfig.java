package io.pgha.core.config;

import java.nio.file.Path;

/**
 * The {@code node} section: what differs between the nodes of a cluster.
 *
 * @param name this node's member name; default the host name
 * @param address the address other nodes reach this one at; default the first non-loopback IPv4 address
 * @param dataDir where pgha keeps its state (store, Postgres data, sockets); default /var/lib/pgha
 */
public record NodeConfig(String name, String address, Path dataDir) {
}
