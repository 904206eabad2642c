package io.pgha.store.raft;

/** The etcd contract on a 3-member Ratis cluster, through a follower (writes and lease renewals are forwarded). */
class RaftThreeNodeContractTest extends RaftKvStoreContract {
    RaftThreeNodeContractTest() {
        super(3);
    }
}
