/**
 * The multi-version key space with etcd v3 semantics: one global revision (1 on an empty store, +1 per effective
 * write request, sub-revisions ordering the writes of one txn), per-key create/mod revision and version, tombstones,
 * reads at past revisions, compaction that frees history, ranges with etcd's rules and txns with compares and nested
 * txns. Plain Java, single-writer, no clocks and no locks: the apply layer serialises access.
 */
package io.pgha.store.mvcc;
