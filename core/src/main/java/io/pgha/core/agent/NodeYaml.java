package io.pgha.core.agent;

import java.nio.file.Path;

/**
 * Renders the configuration file of one node of a cluster on one machine ({@code pgha demo}, and the tests): every
 * service listens on the node's own loopback address, so three nodes can use the same ports.
 *
 * @param cluster   the cluster name
 * @param name      the node name
 * @param address   the node's address (127.0.0.x)
 * @param dataDir   node.data_dir
 * @param tokenFile the cluster token file
 * @param ports     the ports
 */
public record NodeYaml(String cluster, String name, String address, Path dataDir, Path tokenFile, Ports ports) {

    /** The ports of one node. */
    public record Ports(int postgres, int rw, int ro, int stats, int client, int peer, int rest) {
        /** The documented defaults: 5442, 5432, 5433, 8404, 2379, 2380, 8008. */
        public static final Ports DEFAULTS = new Ports(5442, 5432, 5433, 8404, 2379, 2380, 8008);
    }

    /**
     * The ha section of the tests: several clusters and builds share one small test machine, which stalls for
     * seconds at a time, so they run with a longer lease than the product's defaults.
     */
    public static final String TEST_TIMINGS = "ha:\n  ttl: 10s\n  loop_wait: 1s\n  retry_timeout: 2s\n"
            + "  safety_margin: 2s\n";

    /** The YAML text. */
    public String render() {
        return "cluster:\n"
                + "  name: " + cluster + "\n"
                + "  token_file: " + tokenFile + "\n"
                + "node:\n"
                + "  name: " + name + "\n"
                + "  address: " + address + "\n"
                + "  data_dir: " + dataDir + "\n"
                + "store:\n"
                + "  client_port: " + ports.client() + "\n"
                + "  peer_port: " + ports.peer() + "\n"
                + "postgres:\n"
                + "  port: " + ports.postgres() + "\n"
                + "  parameters:\n"
                + "    shared_buffers: 32MB\n"
                + "    max_connections: 50\n"
                + TEST_TIMINGS
                + "rest:\n"
                + "  listen: " + address + "\n"
                + "  port: " + ports.rest() + "\n"
                + "proxy:\n"
                + "  listen: " + address + "\n"
                + "  rw_port: " + ports.rw() + "\n"
                + "  ro_port: " + ports.ro() + "\n"
                + "  stats_port: " + ports.stats() + "\n";
    }
}
