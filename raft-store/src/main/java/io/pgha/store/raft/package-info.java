/**
 * Replication and durability of the store on Apache Ratis. {@link io.pgha.store.raft.RaftStoreNode} runs one
 * member (Ratis server, storage, timeouts, one reusable client); {@link io.pgha.store.raft.EtcdStateMachine} is the
 * thin adapter that feeds committed log entries to the plain-Java {@link io.pgha.store.apply.StoreState} and takes
 * and loads its snapshots; {@link io.pgha.store.raft.RatisKvStore} is the replicated
 * {@link io.pgha.store.KvStore} (writes through the log, linearizable reads by ReadIndex, lease renewals answered
 * by the leader's {@link io.pgha.store.raft.LeaderLeases} clock, expiries proposed by the leader); and
 * {@link io.pgha.store.raft.RatisStoreCluster} maps etcd's membership and status onto Ratis configurations. Every
 * call completes within a deadline: without a leader or a quorum it fails UNAVAILABLE instead of hanging.
 */
package io.pgha.store.raft;
