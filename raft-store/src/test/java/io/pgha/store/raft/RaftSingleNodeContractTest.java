package io.pgha.store.raft;

/** The etcd contract on a 1-member Ratis store. */
class RaftSingleNodeContractTest extends RaftKvStoreContract {
    RaftSingleNodeContractTest() {
        super(1);
    }
}
