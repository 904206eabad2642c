/**
 * Leases, split as etcd's lessor is: {@link io.pgha.store.lease.Lessor} holds the replicated, deterministic part
 * (IDs, granted TTLs, attached keys; revoking deletes the keys through a {@link io.pgha.store.lease.RangeDeleter}
 * so that this package never depends on the key space), and {@link io.pgha.store.lease.LeaseClock} the leader-only,
 * non-replicated deadlines on a monotonic clock, which decide expiry and answer keep-alives.
 */
package io.pgha.store.lease;
