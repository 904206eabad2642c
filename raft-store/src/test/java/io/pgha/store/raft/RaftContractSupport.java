package io.pgha.store.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Ratis cluster for one contract test: fresh members in a fresh directory, lease clocks on a manual clock that
 * {@link #advance} moves (the expiry driver itself runs on real time).
 */
final class RaftContractSupport implements AutoCloseable {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RaftTestCluster cluster;
    private final RatisKvStore entry;

    /** Starts {@code size} members under {@code dir}; {@link #store()} is a follower if there is one. */
    RaftContractSupport(Path dir, int size) {
        cluster = RaftTestCluster.start(dir, size, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT,
                nanos::get);
        RatisKvStore leader = cluster.awaitLeader();
        entry = cluster.running().stream().filter(s -> s != leader).findFirst().orElse(leader);
    }

    RatisKvStore store() {
        return entry;
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public void close() {
        cluster.close();
    }
}
