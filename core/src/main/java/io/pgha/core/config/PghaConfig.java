package io.pgha.core.config;

/**
 * The whole, validated configuration of one node, every default filled in. Immutable; built by {@link ConfigLoader}.
 *
 * @param cluster the cluster this node belongs to
 * @param node this node: name, address, data directory
 * @param store the replicated store (Raft peer and etcd-compatible API)
 * @param postgres the PostgreSQL instance this node manages
 * @param ha the HA loop's timings, synchronous replication and tags
 * @param rest the REST API
 * @param proxy the RW/RO TCP proxy
 * @param backup pgBackRest backups
 * @param hardening host hardening and firewall
 * @param tls TLS for the REST API, the store and PostgreSQL
 */
public record PghaConfig(ClusterConfig cluster, NodeConfig node, StoreConfig store, PostgresConfig postgres,
                         HaConfig ha, RestConfig rest, ProxyConfig proxy, BackupConfig backup,
                         HardeningConfig hardening, TlsConfig tls) {
}
