package io.pgha.store;

import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.CompactionResponse;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseKeepAliveResponse;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import io.pgha.store.proto.WatchCreateRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The store as the rest of pgha sees it: etcd v3 KV, lease and watch semantics, with etcd's request and response
 * messages. Implemented by the replicated store (Ratis), and by {@code InMemoryKv}, the reference model published
 * in this module's test-jar, which tests of other modules use as their fake.
 *
 * <p>Every call completes: a future that cannot be answered within the store's deadline completes exceptionally
 * with a {@link StoreException} of code UNAVAILABLE ({@link EtcdErrors#TIMED_OUT} or {@link EtcdErrors#NO_LEADER})
 * rather than hanging. Business errors (lease not found, compacted revision, ...) complete the future exceptionally
 * with a {@link StoreException} that carries etcd's exact gRPC code and message. A failed compare in a txn is not
 * an error: it is {@code TxnResponse.succeeded == false}.
 *
 * <p>Response headers carry {@code revision} (the store revision after the request), {@code cluster_id},
 * {@code member_id} (the answering member) and {@code raft_term}.
 */
public interface KvStore extends AutoCloseable {

    /** Linearizable unless {@code request.getSerializable()}, in which case it is served from the local copy. */
    CompletableFuture<RangeResponse> range(RangeRequest request);

    CompletableFuture<PutResponse> put(PutRequest request);

    CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request);

    /** All writes of one txn share one revision; a txn that writes nothing does not bump the revision. */
    CompletableFuture<TxnResponse> txn(TxnRequest request);

    CompletableFuture<CompactionResponse> compact(CompactionRequest request);

    /** ID 0 lets the store choose a positive ID; TTL is raised to the store's minimum TTL. */
    CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request);

    /** Deletes every key attached to the lease in one revision. Unknown lease: NotFound. */
    CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request);

    /** Renews the lease to its full TTL. Unknown or expired lease: a response with TTL 0, not an error (as etcd). */
    CompletableFuture<LeaseKeepAliveResponse> leaseKeepAlive(LeaseKeepAliveRequest request);

    /** Unknown lease: TTL -1, not an error (as etcd). */
    CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request);

    CompletableFuture<LeaseLeasesResponse> leaseLeases();

    /**
     * Opens a watch. The listener first receives a response with {@code created = true} and the current revision,
     * then, in revision order, every matching event from {@code start_revision} (history first, then live). A start
     * revision below the compacted revision gives {@code created} and then {@code canceled} with
     * {@code compact_revision}. Responses carry no {@code watch_id}: the API layer that owns the stream assigns it.
     *
     * <p>Delivery never blocks applying writes. A listener that falls too far behind loses its bounded queue and is
     * caught up from history; if that history was compacted meanwhile it is cancelled with {@code compact_revision}.
     * Memory per watch stays bounded either way. The listener is called from one thread at a time, in order.
     */
    Watch watch(WatchCreateRequest request, WatchListener listener);

    /**
     * The whole state of this member as of one applied entry, in the store's own versioned snapshot format (what
     * etcd's Maintenance.Snapshot streams is bbolt's file; this is pgha's equivalent, not readable by etcd tools).
     */
    default CompletableFuture<byte[]> snapshot() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this store takes no snapshots"));
    }

    /** Releases resources; outstanding futures complete exceptionally. */
    @Override
    void close();
}
