package io.pgha.store.raft;

import io.pgha.store.KvStore;
import io.pgha.store.testing.KvStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The etcd contract on a Ratis cluster of a given size, entered through a follower when there is one. */
abstract class RaftKvStoreContract extends KvStoreContract {
    @TempDir
    Path dir;
    private final int size;
    private RaftContractSupport raft;

    RaftKvStoreContract(int size) {
        this.size = size;
    }

    @Override
    protected KvStore newStore() {
        raft = new RaftContractSupport(dir, size);
        return raft.store();
    }

    @Override
    protected void advanceTime(Duration d) {
        raft.advance(d);
    }

    /** Annotated again: JUnit does not run a lifecycle method whose override lacks the annotation. */
    @AfterEach
    @Override
    protected void closeStore() {
        raft.close();
    }
}
