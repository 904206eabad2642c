package io.pgha.store.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How one member of the replicated store runs.
 *
 * @param clusterName names the Raft group; members of one cluster must agree on it (it gives the cluster ID)
 * @param memberName this member's Raft peer ID, stable across restarts (it gives the member ID)
 * @param address this member's Raft gRPC {@code host:port}, where the other members reach it
 * @param dataDir the Raft log, metadata and snapshots; kept across restarts (RECOVER)
 * @param initialPeers the members of a new cluster, including this one; empty to start as a joining member that
 *     waits, as a listener of a group of its own, to be added by the cluster. Ignored when {@code dataDir}
 *     already holds the group
 * @param timeouts election and request timeouts
 * @param log snapshot and log segment sizes, which bound the log on disk
 */
public record RaftStoreConfig(String clusterName, String memberName, String address, Path dataDir,
        List<Peer> initialPeers, Timeouts timeouts, LogLimits log) {

    public RaftStoreConfig {
        initialPeers = List.copyOf(initialPeers);
    }

    /** A config with the default {@link Timeouts} and {@link LogLimits}. */
    public static RaftStoreConfig of(String clusterName, String memberName, String address, Path dataDir,
            List<Peer> initialPeers) {
        return new RaftStoreConfig(clusterName, memberName, address, dataDir, initialPeers, Timeouts.DEFAULT,
                LogLimits.DEFAULT);
    }

    public RaftStoreConfig withTimeouts(Timeouts value) {
        return new RaftStoreConfig(clusterName, memberName, address, dataDir, initialPeers, value, log);
    }

    public RaftStoreConfig withLog(LogLimits value) {
        return new RaftStoreConfig(clusterName, memberName, address, dataDir, initialPeers, timeouts, value);
    }

    /** A member: its name (Raft peer ID) and Raft address {@code host:port}. */
    public record Peer(String name, String address) {
    }

    /**
     * Raft timing. Followers start an election after a random time in [{@code electionMin}, {@code electionMax}]
     * without hearing from a leader; the leader sends heartbeats every {@code electionMin / 2}. A client call that
     * cannot complete (no leader, no quorum) fails UNAVAILABLE after {@code request}.
     *
     * <p>Defaults, 1 s to 2 s, are for VMs on a cloud network rather than Ratis' LAN defaults (150-300 ms):
     * virtual NICs show tens of milliseconds of jitter, CPU steal and GC pauses add hundreds, and an election
     * triggered by a hiccup costs more (leader change, lease clock restart, client retries) than a slower
     * failover. etcd's own default election timeout is 1 s. A real leader loss is then detected within about 2 s
     * and a new leader elected within about 3 s, far inside Patroni's 30 s TTL.
     */
    public record Timeouts(Duration electionMin, Duration electionMax, Duration request) {
        public static final Timeouts DEFAULT =
                new Timeouts(Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofSeconds(3));

        public Timeouts {
            if (electionMax.compareTo(electionMin) < 0) {
                throw new IllegalArgumentException("electionMax < electionMin");
            }
        }
    }

    /**
     * Log bounds: a snapshot is taken every {@code snapshotThreshold} applied entries, and the log is then purged
     * up to it, one closed segment of at most {@code segmentBytes} at a time; so the log on disk stays around
     * {@code snapshotThreshold} entries plus one segment, and a follower that fell further behind catches up from
     * a snapshot.
     */
    public record LogLimits(long snapshotThreshold, long segmentBytes) {
        public static final LogLimits DEFAULT = new LogLimits(10_000, 8L * 1024 * 1024);
    }
}
