package io.pgha.store.apply;

import io.pgha.store.EtcdErrors;
import io.pgha.store.KvStore;
import io.pgha.store.StoreException;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.lease.LeaseClock;
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
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import io.pgha.store.proto.WatchCreateRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unreplicated {@link KvStore}: applies log entries to a {@link StoreState} itself, in order, with a sequential
 * index, and is permanently the leader of its {@link LeaseClock}: a timer applies {@code lease_expire} for leases
 * past their deadline. Headers carry the given cluster and member IDs and raft_term 1. A single-node backend
 * until the replicated store runs, and the real store of the model-based tests.
 */
public final class LocalKvStore implements KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKvStore.class);
    /** How often the expiry timer looks for expired leases. */
    public static final long EXPIRY_CHECK_MILLIS = 50;

    private final long clusterId;
    private final long memberId;
    private final StoreState state;
    private final LeaseClock leaseClock;
    private final ScheduledExecutorService timer;
    private final SplittableRandom ids = new SplittableRandom();
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private long appliedIndex;
    private volatile boolean closed;

    public LocalKvStore(long clusterId, long memberId) {
        this(clusterId, memberId, new MvccStoreState(), System::nanoTime);
    }

    /** {@code state} may come from a snapshot; its leases get fresh deadlines from {@code nanoTime} now. */
    public LocalKvStore(long clusterId, long memberId, StoreState state, LongSupplier nanoTime) {
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.state = state;
        this.leaseClock = new LeaseClock(nanoTime);
        leaseClock.promote(state.leaseTtls(), 0);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-store-lease-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::expireLeases, EXPIRY_CHECK_MILLIS, EXPIRY_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private ResponseHeader header(ResponseHeader h) {
        return h.toBuilder().setClusterId(clusterId).setMemberId(memberId).setRaftTerm(1).build();
    }

    /** The index of the last applied entry. */
    public synchronized long appliedIndex() {
        return appliedIndex;
    }

    @Override
    public synchronized CompletableFuture<byte[]> snapshot() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            state.writeSnapshot(out); // under the lock apply takes, so the state does not move meanwhile
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(out.toByteArray());
    }

    private synchronized LogReply apply(LogEntry entry) {
        if (closed) {
            throw EtcdErrors.STOPPED;
        }
        appliedIndex++;
        LogReply reply = state.apply(entry);
        if (reply.hasError()) {
            throw StoreException.fromProto(reply.getError());
        }
        return reply;
    }

    private static <T> CompletableFuture<T> call(Supplier<T> op) {
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void expireLeases() {
        try {
            for (long id : leaseClock.expired()) {
                apply(LogEntry.newBuilder().setLeaseExpire(LeaseRevokeRequest.newBuilder().setID(id)).build());
                leaseClock.forget(id);
            }
        } catch (RuntimeException e) {
            LOG.warn("lease expiry failed; retrying at the next check", e);
        }
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        return call(() -> {
            RangeResponse r = state.range(request);
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        return call(() -> {
            PutResponse r = apply(LogEntry.newBuilder().setPut(request).build()).getPut();
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return call(() -> {
            DeleteRangeResponse r = apply(LogEntry.newBuilder().setDeleteRange(request).build()).getDeleteRange();
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return call(() -> {
            TxnResponse r = apply(LogEntry.newBuilder().setTxn(request).build()).getTxn();
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return call(() -> {
            CompactionResponse r = apply(LogEntry.newBuilder().setCompaction(request).build()).getCompaction();
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        return call(() -> {
            synchronized (this) {
                long id = request.getID();
                while (id == 0 || request.getID() == 0 && state.leaseTtls().containsKey(id)) {
                    id = ids.nextLong(1, Long.MAX_VALUE);
                }
                LeaseGrantResponse r = apply(LogEntry.newBuilder()
                        .setLeaseGrant(request.toBuilder().setID(id)).build()).getLeaseGrant();
                leaseClock.grant(r.getID(), r.getTTL());
                return r.toBuilder().setHeader(header(r.getHeader())).build();
            }
        });
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
        return call(() -> {
            LeaseRevokeResponse r = apply(LogEntry.newBuilder().setLeaseRevoke(request).build()).getLeaseRevoke();
            leaseClock.forget(request.getID());
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> leaseKeepAlive(LeaseKeepAliveRequest request) {
        return call(() -> {
            long ttl = leaseClock.keepAlive(request.getID());
            return LeaseKeepAliveResponse.newBuilder().setID(request.getID()).setTTL(ttl)
                    .setHeader(header(ResponseHeader.newBuilder().setRevision(state.revision()).build())).build();
        });
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
        return call(() -> {
            LeaseTimeToLiveResponse r = state.timeToLive(request);
            LeaseTimeToLiveResponse.Builder out = r.toBuilder().setHeader(header(r.getHeader()));
            if (r.getTTL() != -1) {
                out.setTTL(Math.max(0, leaseClock.remainingTtl(request.getID())));
            }
            return out.build();
        });
    }

    @Override
    public CompletableFuture<LeaseLeasesResponse> leaseLeases() {
        return call(() -> {
            LeaseLeasesResponse r = state.leases();
            return r.toBuilder().setHeader(header(r.getHeader())).build();
        });
    }

    @Override
    public Watch watch(WatchCreateRequest request, WatchListener listener) {
        if (closed) {
            throw EtcdErrors.STOPPED;
        }
        Watch w = state.watch(request, r -> listener.onResponse(r.toBuilder().setHeader(header(r.getHeader()))
                .build()));
        watches.add(w);
        return new Watch() {
            @Override
            public void cancel() {
                watches.remove(w);
                w.cancel();
            }

            @Override
            public void requestProgress() {
                w.requestProgress();
            }
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        watches.forEach(Watch::cancel);
        watches.clear();
    }
}
