/**
 * etcd v3.4's client API over a {@link io.pgha.store.KvStore} and a {@link io.pgha.store.StoreCluster}: the gRPC
 * services ({@code etcdserverpb.KV}, {@code Watch}, {@code Lease}, {@code Cluster}, {@code Maintenance},
 * {@code Auth}, and {@code grpc.health.v1.Health}) and the grpc-gateway v1 HTTP/1.1 JSON gateway, both served on one
 * client port as etcd does ({@link io.pgha.store.api.EtcdApiServer}). The handlers are thin: they validate what etcd
 * validates in its API layer, call the store, stamp the response header and map {@link io.pgha.store.StoreException}
 * to a gRPC status with etcd's exact message. Semantics (revisions, txn, leases, watch history) live in the store.
 */
package io.pgha.store.api;
