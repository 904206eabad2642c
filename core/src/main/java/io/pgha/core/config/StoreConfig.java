package io.pgha.core.config;

import java.time.Duration;

/**
 * The {@code store} section: the replicated store, listening on node.address.
 *
 * @param clientPort the etcd v3 API port (gRPC and JSON), default 2379
 * @param peerPort the Raft peer port, default 2380
 * @param electionTimeoutMin the lower bound of the randomized Raft election timeout, default 500ms
 * @param electionTimeoutMax the upper bound, default 1s; must exceed the lower bound
 * @param snapshotThreshold log entries between snapshots, default 10000
 * @param requestTimeout how long a store request may take before it fails, default 2s
 * @param watchProgressInterval how often a watch that asked for progress notifications gets one, default 10m
 *     (etcd's)
 */
public record StoreConfig(int clientPort, int peerPort, Duration electionTimeoutMin, Duration electionTimeoutMax,
                          long snapshotThreshold, Duration requestTimeout, Duration watchProgressInterval) {
}
