/**
 * Where log entries meet the semantics: {@link io.pgha.store.apply.StoreState} is the deterministic replica state
 * the Raft state machine drives, {@link io.pgha.store.apply.MvccStoreState} implements it over the MVCC key space,
 * the lessor and the watch hub (with its versioned snapshot format), and {@link io.pgha.store.apply.LocalKvStore}
 * drives it unreplicated, as a single-node {@link io.pgha.store.KvStore}. Nothing here imports Ratis.
 */
package io.pgha.store.apply;
