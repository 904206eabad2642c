package io.pgha.store.api;

import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreCluster;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A one-member cluster that never changes: leader of term 2, member ID 1, named "default". */
final class FakeStoreCluster implements StoreCluster {
    static final long CLUSTER_ID = 0x1234_5678_9abcL;
    static final long MEMBER_ID = 0x0fed_cba9_8765L;

    private volatile List<String> clientUrls = List.of();

    /** The member's client URLs are known once the server has its port. */
    void clientUrls(List<String> urls) {
        this.clientUrls = List.copyOf(urls);
    }

    @Override
    public long clusterId() {
        return CLUSTER_ID;
    }

    @Override
    public long memberId() {
        return MEMBER_ID;
    }

    @Override
    public long raftTerm() {
        return 2;
    }

    @Override
    public List<StoreMember> members() {
        return List.of(new StoreMember(MEMBER_ID, "default", List.of("http://127.0.0.1:2380"), clientUrls, false));
    }

    @Override
    public StoreStatus status() {
        return new StoreStatus(MEMBER_ID, 2, 8, 8, 20480, false, List.of());
    }

    @Override
    public CompletableFuture<List<StoreMember>> addMember(String name, String peerUrl, List<String> urls,
            boolean learner) {
        return CompletableFuture.failedFuture(EtcdErrors.NOT_LEADER);
    }

    @Override
    public CompletableFuture<List<StoreMember>> removeMember(long id) {
        return CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
    }

    @Override
    public CompletableFuture<List<StoreMember>> promoteMember(long id) {
        return CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
    }

    @Override
    public CompletableFuture<Void> moveLeader(long target) {
        return target == MEMBER_ID ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
    }
}
