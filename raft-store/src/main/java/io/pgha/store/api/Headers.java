package io.pgha.store.api;

import io.pgha.store.KvStore;
import io.pgha.store.StoreCluster;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.ResponseHeader;
import java.util.concurrent.CompletableFuture;

/**
 * Fills response headers the way etcd does: {@code cluster_id}, {@code member_id} and {@code raft_term} come from
 * this member's view of the cluster, {@code revision} from the store. Only top-level headers are stamped; nested
 * txn sub-responses keep the revision-only header the store gave them, as etcd does.
 */
final class Headers {
    private static final RangeRequest REVISION_PROBE = RangeRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFrom(new byte[] {0}))
            .setCountOnly(true).setSerializable(true).setLimit(1).build();

    private final KvStore store;
    private final StoreCluster cluster;

    Headers(KvStore store, StoreCluster cluster) {
        this.store = store;
        this.cluster = cluster;
    }

    /** A header with the given revision (0 means "omit", as for Cluster RPCs). */
    ResponseHeader withRevision(long revision) {
        return ResponseHeader.newBuilder().setClusterId(cluster.clusterId()).setMemberId(cluster.memberId())
                .setRevision(revision).setRaftTerm(cluster.raftTerm()).build();
    }

    /** The store's header, with this member's identity and term. */
    ResponseHeader stamp(ResponseHeader fromStore) {
        return withRevision(fromStore.getRevision());
    }

    /** A header without revision: etcd's Cluster RPCs answer so (observed). */
    ResponseHeader withoutRevision() {
        return withRevision(0);
    }

    /**
     * The store's current revision, read locally. Used where etcd reports {@code watchStream.Rev()} or
     * {@code kv.Rev()} without a request of its own (watch cancel and progress, Maintenance, Auth).
     */
    CompletableFuture<ResponseHeader> current() {
        return store.range(REVISION_PROBE).thenApply(r -> stamp(r.getHeader()));
    }
}
