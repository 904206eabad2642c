/**
 * The replicated key-value store: etcd v3 semantics (revisions, ranges, txns, leases, watches) in plain Java,
 * replicated by Apache Ratis, and served on the etcd v3 gRPC and JSON API. Depends on nothing else of pgha.
 */
package io.pgha.store;
