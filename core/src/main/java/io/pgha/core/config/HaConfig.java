package io.pgha.core.config;

import java.time.Duration;

/**
 * The {@code ha} section: leader lease timings, failover limits and synchronous replication. The reasons for the
 * defaults are in docs/configuration.md.
 *
 * @param ttl the leader lease; at least 2s and at least loopWait + 2 * retryTimeout, default 5s
 * @param loopWait the HA cycle period (and lease renewal interval), default 500ms
 * @param retryTimeout how long a store or Postgres operation is retried before the cycle gives up, default 1s
 * @param safetyMargin the primary demotes itself when its last renewal is older than ttl - safetyMargin, default 2s
 * @param maximumLagOnFailover a replica further behind than this is never promoted, default 1MB
 * @param synchronousMode off, on, or strict (no writes without a synchronous standby), default off
 * @param synchronousNodeCount how many synchronous standbys, default 1
 * @param usePgRewind rejoin a former primary with pg_rewind, default true
 * @param recloneOnRewindFailure re-clone a former primary when pg_rewind fails, default true
 * @param primaryStartTimeout how long a crashed primary may take to restart before failing over, default 0s
 * @param tags this node's Patroni-compatible tags
 */
public record HaConfig(Duration ttl, Duration loopWait, Duration retryTimeout, Duration safetyMargin,
                       ByteSize maximumLagOnFailover, SynchronousMode synchronousMode, int synchronousNodeCount,
                       boolean usePgRewind, boolean recloneOnRewindFailure, Duration primaryStartTimeout, Tags tags) {

    /** Synchronous replication: {@code off}, {@code on}, or {@code strict}. */
    public enum SynchronousMode {
        OFF, ON, STRICT
    }

    /**
     * Tags, as in Patroni.
     *
     * @param nofailover never promote this node
     * @param noloadbalance keep this node out of the RO pool
     * @param nosync never make this node a synchronous standby
     * @param clonefrom prefer this node as the source of new replicas
     * @param failoverPriority higher wins among equally good candidates; 0 means never promote, default 1
     */
    public record Tags(boolean nofailover, boolean noloadbalance, boolean nosync, boolean clonefrom,
                       int failoverPriority) {
    }
}
