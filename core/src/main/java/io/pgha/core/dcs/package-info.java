/**
 * The distributed configuration store as the HA loop sees it: domain operations ({@code Dcs}:
 * bootstrap race, leader lease, member records, watch) over the etcd-compatible {@link io.pgha.store.KvStore}, with
 * the key layout {@code /pgha/<cluster>/{leader,members/<name>,config,initialize,failover,sync,history,status}},
 * and the immutable per-cycle snapshot {@link io.pgha.core.dcs.ClusterView} that every decision is made against.
 */
package io.pgha.core.dcs;
