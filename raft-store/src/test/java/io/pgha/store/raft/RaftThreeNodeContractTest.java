package io.pgha.store.raft;

import io.pgha.store.KvStore;
import io.pgha.store.testing.KvStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The etcd contract on a 3-member Ratis cluster, through a follower (writes and lease renewals are forwarded). */
class RaftThreeNodeContractTest extends KvStoreContract {
    @TempDir
    Path dir;
    private RaftContractSupport raft;

    @Override
    protected KvStore newStore() {
        raft = new RaftContractSupport(dir, 3);
        return raft.store();
    }

    @Override
    protected void advanceTime(Duration d) {
        raft.advance(d);
    }

    @Override
    protected void closeStore() {
        raft.close();
    }
}
