package io.pgha.store.testing;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.KvStore;
import io.pgha.store.StoreException;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.mvcc.RequestChecks;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.CompactionResponse;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseKeepAliveResponse;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseStatus;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import io.pgha.store.proto.WatchCreateRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The reference model of pgha's etcd semantics: every revision of the whole key space kept as an immutable map,
 * synchronous, single lock. Leases expire by the injected {@link Clock}: every call first revokes the leases whose
 * deadline has passed ({@link #tick()} does only that), so a test that moves its clock sees expiry at the next call.
 * Deliberately written apart from the real store, so that comparing the two means something.
 */
public final class InMemoryKv implements KvStore {
    /** etcd's minimum TTL with its default election timeout. */
    public static final long DEFAULT_MIN_TTL = 2;
    static final long MAX_TTL = 9_000_000_000L;

    private final long clusterId;
    private final long memberId;
    private final Clock clock;
    private final long minTtl;
    private final ModelKeySpace ks = new ModelKeySpace();
    private final TreeMap<Long, ModelLease> leases = new TreeMap<>();
    private final ModelOps ops = new ModelOps(ks, leases::containsKey);
    private final ModelWatches watches = new ModelWatches(ks, this::header);
    private final Random ids = new Random(42);
    private boolean closed;

    private static final class ModelLease {
        final long ttl;
        Instant deadline;

        ModelLease(long ttl, Instant deadline) {
            this.ttl = ttl;
            this.deadline = deadline;
        }
    }

    public InMemoryKv() {
        this(1, 1, Clock.systemUTC(), DEFAULT_MIN_TTL);
    }

    /** Cluster and member ID 1, etcd's minimum TTL, leases expiring by {@code clock}. */
    public InMemoryKv(Clock clock) {
        this(1, 1, clock, DEFAULT_MIN_TTL);
    }

    public InMemoryKv(long clusterId, long memberId, Clock clock, long minTtlSeconds) {
        this.clusterId = clusterId;
        this.memberId = memberId;
        this.clock = clock;
        this.minTtl = minTtlSeconds;
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId).setRevision(ks.current())
                .setRaftTerm(1).build();
    }

    private synchronized <T> CompletableFuture<T> call(Supplier<T> op) {
        if (closed) {
            return CompletableFuture.failedFuture(EtcdErrors.STOPPED);
        }
        try {
            tick();
            return CompletableFuture.completedFuture(op.get());
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Revokes every lease whose deadline has passed on the clock, in ID order. */
    public synchronized void tick() {
        Instant now = clock.instant();
        for (Long id : new ArrayList<>(leases.keySet())) {
            if (!leases.get(id).deadline.isAfter(now)) {
                revoke(id);
            }
        }
    }

    private void write(ModelOps.Draft d) {
        ops.commit(d);
        watches.publish();
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request) {
        return call(() -> {
            RequestChecks.checkRange(request);
            return ops.range(request, null).toBuilder().setHeader(header()).build();
        });
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request) {
        return call(() -> {
            RequestChecks.checkPut(request);
            if (request.getLease() != 0 && !leases.containsKey(request.getLease())) {
                throw EtcdErrors.LEASE_NOT_FOUND;
            }
            ModelOps.Draft d = ops.draft();
            PutResponse out = ops.put(request, d);
            write(d);
            return out.toBuilder().setHeader(header()).build();
        });
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return call(() -> {
            RequestChecks.checkDelete(request);
            ModelOps.Draft d = ops.draft();
            DeleteRangeResponse out = ops.delete(request, d);
            write(d);
            return out.toBuilder().setHeader(header()).build();
        });
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return call(() -> {
            RequestChecks.checkTxn(request);
            TxnResponse out = ops.txn(request);
            watches.publish();
            return out.toBuilder().setHeader(header()).build();
        });
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return call(() -> {
            if (request.getRevision() <= ks.compacted()) {
                throw EtcdErrors.COMPACTED;
            }
            if (request.getRevision() > ks.current()) {
                throw EtcdErrors.FUTURE_REV;
            }
            ks.compact(request.getRevision());
            return CompactionResponse.newBuilder().setHeader(header()).build();
        });
    }

    @Override
    public CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        return call(() -> {
            long id = request.getID();
            while (id == 0 || request.getID() == 0 && leases.containsKey(id)) {
                id = ids.nextLong() & Long.MAX_VALUE;
            }
            if (request.getTTL() > MAX_TTL) {
                throw EtcdErrors.LEASE_TTL_TOO_LARGE;
            }
            if (leases.containsKey(id)) {
                throw EtcdErrors.LEASE_EXISTS;
            }
            long ttl = Math.max(request.getTTL(), minTtl);
            leases.put(id, new ModelLease(ttl, clock.instant().plusSeconds(ttl)));
            return LeaseGrantResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build();
        });
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
        return call(() -> {
            if (!leases.containsKey(request.getID())) {
                throw EtcdErrors.LEASE_NOT_FOUND;
            }
            revoke(request.getID());
            return LeaseRevokeResponse.newBuilder().setHeader(header()).build();
        });
    }

    private void revoke(long id) {
        leases.remove(id);
        ModelOps.Draft d = ops.draft();
        for (ByteString key : attached(id)) {
            d.delete(key, ByteString.EMPTY);
        }
        write(d);
    }

    private List<ByteString> attached(long id) {
        List<ByteString> keys = new ArrayList<>();
        for (Map.Entry<ByteString, KeyValue> e : ks.at(ks.current()).kvs().entrySet()) {
            if (e.getValue().getLease() == id) {
                keys.add(e.getKey());
            }
        }
        return keys;
    }

    @Override
    public CompletableFuture<LeaseKeepAliveResponse> leaseKeepAlive(LeaseKeepAliveRequest request) {
        return call(() -> {
            ModelLease lease = leases.get(request.getID());
            long ttl = 0;
            if (lease != null) {
                lease.deadline = clock.instant().plusSeconds(lease.ttl);
                ttl = lease.ttl;
            }
            return LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(request.getID()).setTTL(ttl).build();
        });
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request) {
        return call(() -> {
            ModelLease lease = leases.get(request.getID());
            LeaseTimeToLiveResponse.Builder out = LeaseTimeToLiveResponse.newBuilder().setHeader(header())
                    .setID(request.getID()).setTTL(-1);
            if (lease != null) {
                long millis = Duration.between(clock.instant(), lease.deadline).toMillis();
                out.setTTL(Math.max(0, (millis + 999) / 1000)).setGrantedTTL(lease.ttl);
                if (request.getKeys()) {
                    out.addAllKeys(attached(request.getID()));
                }
            }
            return out.build();
        });
    }

    @Override
    public CompletableFuture<LeaseLeasesResponse> leaseLeases() {
        return call(() -> {
            LeaseLeasesResponse.Builder out = LeaseLeasesResponse.newBuilder().setHeader(header());
            leases.keySet().forEach(id -> out.addLeases(LeaseStatus.newBuilder().setID(id)));
            return out.build();
        });
    }

    @Override
    public synchronized Watch watch(WatchCreateRequest request, WatchListener listener) {
        if (closed) {
            throw EtcdErrors.STOPPED;
        }
        tick();
        return watches.open(request, listener);
    }

    @Override
    public synchronized void close() {
        closed = true;
        watches.close();
    }
}
