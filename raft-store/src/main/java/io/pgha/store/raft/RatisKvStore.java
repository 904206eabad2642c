package io.pgha.store.raft;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.pgha.store.KvStore;
import io.pgha.store.StoreException;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.CompactionResponse;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseKeepAliveResponse;
import io.pgha.store.proto.LeaseLeasesRequest;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.StoreQuery;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import io.pgha.store.proto.WatchCreateRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.statemachine.SnapshotInfo;

/**
 * The replicated {@link KvStore} of one member. Writes are log entries replicated through Raft; ranges are
 * linearizable reads (ReadIndex) served by this member, or, when {@code serializable}, reads of its local copy;
 * lease renewals and time-to-live are answered by the leader's lease clock and never logged; the leader proposes
 * expiries ({@link LeaseExpiryDriver}). Watches are served by this member's local state.
 *
 * <p>Lease IDs: a grant with ID 0 gets a random positive ID not in use, chosen here before the entry is logged,
 * so applying it stays deterministic. Headers carry this member's {@code member_id}, the group's
 * {@code cluster_id} and the highest Raft term this member has seen.
 *
 * <p>Owns the {@link RaftStoreNode}: closing the store closes the member.
 */
public final class RatisKvStore implements KvStore {
    private final RaftStoreNode node;
    private final ScheduledExecutorService scheduler;
    private final RaftCalls calls;
    private final LeaseExpiryDriver expiry;
    private final AtomicLong highestTerm = new AtomicLong();

    public RatisKvStore(RaftStoreNode node) {
        this.node = node;
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pgha-store-" + node.peerId());
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // every call's deadline timer is cancelled when the call completes
        this.scheduler = timers;
        this.calls = new RaftCalls(node, scheduler);
        this.expiry = new LeaseExpiryDriver(node.leases(), calls, scheduler);
    }

    public RaftStoreNode node() {
        return node;
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        if (request.getSerializable()) {
            try {
                return CompletableFuture.completedFuture(withHeader(node.state().range(request)));
            } catch (StoreException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return calls.readHere(StoreQuery.newBuilder().setRange(request).build())
                .thenApply(reply -> withHeader(reply.getRange()));
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        return calls.write(LogEntry.newBuilder().setPut(request).build()).thenApply(r -> withHeader(r.getPut()));
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return calls.write(LogEntry.newBuilder().setDeleteRange(request).build())
                .thenApply(r -> withHeader(r.getDeleteRange()));
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return calls.write(LogEntry.newBuilder().setTxn(request).build()).thenApply(r -> withHeader(r.getTxn()));
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return calls.write(LogEntry.newBuilder().setCompaction(request).build())
                .thenApply(r -> withHeader(r.getCompaction()));
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        LeaseGrantRequest withId = request.getID() != 0 ? request : request.toBuilder().setID(freshLeaseId()).build();
        return calls.write(LogEntry.newBuilder().setLeaseGrant(withId).build())
                .thenApply(r -> withHeader(r.getLeaseGrant()));
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
        return calls.write(LogEntry.newBuilder().setLeaseRevoke(request).build())
                .thenApply(r -> withHeader(r.getLeaseRevoke()));
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> leaseKeepAlive(LeaseKeepAliveRequest request) {
        return calls.readLeader(StoreQuery.newBuilder().setKeepAlive(request).build())
                .thenApply(reply -> withHeader(reply.getKeepAlive()));
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
        return calls.readLeader(StoreQuery.newBuilder().setTimeToLive(request).build())
                .thenApply(reply -> withHeader(reply.getTimeToLive()));
    }

    @Override
    public CompletableFuture<LeaseLeasesResponse> leaseLeases() {
        return calls.readHere(StoreQuery.newBuilder().setLeases(LeaseLeasesRequest.getDefaultInstance()).build())
                .thenApply(reply -> withHeader(reply.getLeases()));
    }

    @Override
    public Watch watch(WatchCreateRequest request, WatchListener listener) {
        return node.state().watch(request, response -> listener.onResponse(withHeader(response)));
    }

    /** This member's current Raft term, never lower than one it reported before. */
    public long raftTerm() {
        long current;
        try {
            current = node.division().getInfo().getCurrentTerm();
        } catch (StoreException e) {
            current = 0;
        }
        return highestTerm.accumulateAndGet(current, Math::max);
    }

    /**
     * Has this member's server take a snapshot unless nothing was applied since its latest one (Ratis' snapshot
     * management call, run on the apply thread like any snapshot), then returns that file's bytes.
     */
    @Override
    public CompletableFuture<byte[]> snapshot() {
        long timeoutMs = node.config().timeouts().request().toMillis();
        return CompletableFuture.supplyAsync(() -> {
            try {
                RaftClientReply reply = node.client().getSnapshotManagementApi(node.peerId()).create(1, timeoutMs);
                if (!reply.isSuccess()) {
                    throw new IOException("snapshot failed: " + reply.getException());
                }
                SnapshotInfo latest = node.stateMachine().getLatestSnapshot();
                if (latest == null || latest.getFiles().isEmpty()) {
                    throw new IOException("no snapshot after the snapshot request");
                }
                return Files.readAllBytes(latest.getFiles().get(0).getPath());
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "store-snapshot");
            t.setDaemon(true);
            t.start();
        });
    }

    @Override
    public void close() {
        expiry.close();
        // shutdown, not shutdownNow: pending deadlines still fire, so no future is left hanging
        scheduler.shutdown();
        node.close();
    }

    private long freshLeaseId() {
        Set<Long> used = node.state().leaseTtls().keySet();
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        } while (used.contains(id));
        return id;
    }

    /** Fills cluster, member and term into a response's header, keeping the revision the state put there. */
    @SuppressWarnings("unchecked")
    private <T extends Message> T withHeader(T response) {
        FieldDescriptor field = response.getDescriptorForType().findFieldByName("header");
        if (field == null) {
            return response;
        }
        ResponseHeader header = ((ResponseHeader) response.getField(field)).toBuilder()
                .setClusterId(node.clusterId())
                .setMemberId(node.memberId())
                .setRaftTerm(raftTerm())
                .build();
        return (T) response.toBuilder().setField(field, header).build();
    }
}
