package io.pgha.core.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code cluster} section.
 *
 * @param name the cluster name, the store key prefix {@code /pgha/<name>/}; {@code [a-z0-9-]{1,63}}, default "pgha"
 * @param members the initial members, names unique; empty when the cluster is formed by joining
 * @param join a member of an existing cluster to join (also {@code --join}); the port defaults to store.client_port
 * @param token the shared secret nodes present to join, from {@code token_file} or {@code PGHA_CLUSTER_TOKEN}
 */
public record ClusterConfig(String name, List<Member> members, Optional<HostPort> join, Optional<Secret> token) {
    public ClusterConfig {
        members = List.copyOf(members);
    }

    /** This cluster joining {@code target} instead of the configured join address. */
    public ClusterConfig withJoin(HostPort target) {
        return new ClusterConfig(name, members, Optional.of(target), token);
    }

    /**
     * One initial member.
     *
     * @param name its node.name
     * @param address its node.address (host name or IP address)
     */
    public record Member(String name, String address) {
    }
}
