package io.pgha.store.raft;

import io.pgha.store.KvStore;
import io.pgha.store.testing.KvStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The etcd contract on a 1-member Ratis store. */
class RaftSingleNodeContractTest extends KvStoreContract {
    @TempDir
    Path dir;
    private RaftContractSupport raft;

    @Override
    protected KvStore newStore() {
        raft = new RaftContractSupport(dir, 1);
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
