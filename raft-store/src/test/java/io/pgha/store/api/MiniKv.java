package io.pgha.store.api;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.KvStore;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.CompactionResponse;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.Event;
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
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.ResponseOp;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A small, single-threaded stand-in for the store used by this package's tests until the reference model
 * ({@code InMemoryKv}) is available on this branch: MVCC over an event history, txn, leases without expiry, and
 * watches that deliver synchronously. Only what the API tests exercise.
 */
final class MiniKv implements KvStore {
    private static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    private final List<Event> history = new ArrayList<>();
    private final Map<Long, Long> leases = new TreeMap<>();
    private final List<Object[]> watchers = new ArrayList<>();
    private long revision = 1;
    private long compacted;
    private long nextLease = 0x694d_0000_0000_0001L;
    private boolean dirty;

    private static <T> CompletableFuture<T> run(Supplier<T> op) {
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    private TreeMap<ByteString, KeyValue> at(long rev) {
        TreeMap<ByteString, KeyValue> state = new TreeMap<>(ORDER);
        for (Event e : history) {
            if (e.getKv().getModRevision() > rev) {
                break;
            }
            if (e.getType() == Event.EventType.PUT) {
                state.put(e.getKv().getKey(), e.getKv());
            } else {
                state.remove(e.getKv().getKey());
            }
        }
        return state;
    }

    private static boolean inRange(ByteString key, ByteString start, ByteString end) {
        if (end.isEmpty()) {
            return key.equals(start);
        }
        boolean all = end.size() == 1 && end.byteAt(0) == 0;
        return ORDER.compare(key, start) >= 0 && (all || ORDER.compare(key, end) < 0);
    }

    @Override
    public synchronized CompletableFuture<RangeResponse> range(RangeRequest r) {
        return run(() -> rangeNow(r));
    }

    private RangeResponse rangeNow(RangeRequest r) {
        if (r.getRevision() > revision) {
            throw EtcdErrors.FUTURE_REV;
        }
        if (r.getRevision() > 0 && r.getRevision() < compacted) {
            throw EtcdErrors.COMPACTED;
        }
        List<KeyValue> kvs = at(r.getRevision() > 0 ? r.getRevision() : revision).values().stream()
                .filter(kv -> inRange(kv.getKey(), r.getKey(), r.getRangeEnd())).toList();
        RangeResponse.Builder b = RangeResponse.newBuilder().setHeader(header()).setCount(kvs.size());
        if (!r.getCountOnly()) {
            List<KeyValue> shown = r.getLimit() > 0 && kvs.size() > r.getLimit()
                    ? kvs.subList(0, (int) r.getLimit()) : kvs;
            b.setMore(shown.size() < kvs.size());
            shown.forEach(kv -> b.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv));
        }
        return b.build();
    }

    private KeyValue putNow(PutRequest r, PutResponse.Builder out) {
        if (r.getLease() != 0 && !leases.containsKey(r.getLease())) {
            throw EtcdErrors.LEASE_NOT_FOUND;
        }
        KeyValue old = at(revision).get(r.getKey());
        if (!dirty) {
            revision++;
            dirty = true;
        }
        KeyValue kv = KeyValue.newBuilder().setKey(r.getKey()).setValue(r.getValue()).setLease(r.getLease())
                .setModRevision(revision).setCreateRevision(old == null ? revision : old.getCreateRevision())
                .setVersion(old == null ? 1 : old.getVersion() + 1).build();
        record(Event.newBuilder().setKv(kv).build(), old);
        if (r.getPrevKv() && old != null) {
            out.setPrevKv(old);
        }
        return kv;
    }

    private long deleteNow(DeleteRangeRequest r, DeleteRangeResponse.Builder out) {
        List<KeyValue> doomed = at(revision).values().stream()
                .filter(kv -> inRange(kv.getKey(), r.getKey(), r.getRangeEnd())).toList();
        if (!doomed.isEmpty() && !dirty) {
            revision++;
            dirty = true;
        }
        for (KeyValue kv : doomed) {
            record(Event.newBuilder().setType(Event.EventType.DELETE).setKv(KeyValue.newBuilder().setKey(kv.getKey())
                    .setModRevision(revision)).build(), kv);
            if (r.getPrevKv()) {
                out.addPrevKvs(kv);
            }
        }
        return doomed.size();
    }

    private void record(Event e, KeyValue prev) {
        history.add(e);
        for (Object[] w : watchers) {
            WatchCreateRequest req = (WatchCreateRequest) w[0];
            if (inRange(e.getKv().getKey(), req.getKey(), req.getRangeEnd())) {
                Event shown = req.getPrevKv() && prev != null ? e.toBuilder().setPrevKv(prev).build() : e;
                ((WatchListener) w[1]).onResponse(WatchResponse.newBuilder().setHeader(header()).addEvents(shown)
                        .build());
            }
        }
    }

    @Override
    public synchronized CompletableFuture<PutResponse> put(PutRequest r) {
        return run(() -> {
            dirty = false;
            PutResponse.Builder b = PutResponse.newBuilder();
            putNow(r, b);
            return b.setHeader(header()).build();
        });
    }

    @Override
    public synchronized CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest r) {
        return run(() -> {
            dirty = false;
            DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder();
            b.setDeleted(deleteNow(r, b));
            return b.setHeader(header()).build();
        });
    }

    @Override
    public synchronized CompletableFuture<TxnResponse> txn(TxnRequest r) {
        return run(() -> {
            dirty = false;
            return txnNow(r).toBuilder().setHeader(header()).build();
        });
    }

    private TxnResponse txnNow(TxnRequest r) {
        boolean ok = r.getCompareList().stream().allMatch(this::holds);
        TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder res = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> res.setResponseRange(rangeNow(op.getRequestRange()));
                case REQUEST_PUT -> {
                    PutResponse.Builder p = PutResponse.newBuilder();
                    putNow(op.getRequestPut(), p);
                    res.setResponsePut(p.setHeader(header()));
                }
                case REQUEST_DELETE_RANGE -> {
                    DeleteRangeResponse.Builder d = DeleteRangeResponse.newBuilder();
                    d.setDeleted(deleteNow(op.getRequestDeleteRange(), d));
                    res.setResponseDeleteRange(d.setHeader(header()));
                }
                default -> res.setResponseTxn(txnNow(op.getRequestTxn()).toBuilder().setHeader(header()));
            }
            b.addResponses(res);
        }
        return b.build();
    }

    private boolean holds(Compare c) {
        KeyValue kv = at(revision).getOrDefault(c.getKey(), KeyValue.getDefaultInstance());
        long cmp = switch (c.getTarget()) {
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            default -> kv.getCreateRevision() == 0 ? Long.MIN_VALUE : ORDER.compare(kv.getValue(), c.getValue());
        };
        if (cmp == Long.MIN_VALUE) {
            return false;
        }
        return switch (c.getResult()) {
            case EQUAL -> cmp == 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
            default -> cmp != 0;
        };
    }

    @Override
    public synchronized CompletableFuture<CompactionResponse> compact(CompactionRequest r) {
        return run(() -> {
            if (r.getRevision() <= compacted) {
                throw EtcdErrors.COMPACTED;
            }
            if (r.getRevision() > revision) {
                throw EtcdErrors.FUTURE_REV;
            }
            compacted = r.getRevision();
            return CompactionResponse.newBuilder().setHeader(header()).build();
        });
    }

    @Override
    public synchronized CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest r) {
        long id = r.getID() != 0 ? r.getID() : nextLease++;
        long ttl = Math.max(2, r.getTTL());
        leases.put(id, ttl);
        return run(() -> LeaseGrantResponse.newBuilder().setHeader(header()).setID(id).setTTL(ttl).build());
    }

    @Override
    public synchronized CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest r) {
        return run(() -> {
            if (leases.remove(r.getID()) == null) {
                throw EtcdErrors.LEASE_NOT_FOUND;
            }
            dirty = false;
            for (KeyValue kv : at(revision).values()) {
                if (kv.getLease() == r.getID()) {
                    deleteNow(DeleteRangeRequest.newBuilder().setKey(kv.getKey()).build(),
                            DeleteRangeResponse.newBuilder());
                }
            }
            return LeaseRevokeResponse.newBuilder().setHeader(header()).build();
        });
    }

    @Override
    public synchronized CompletableFuture<LeaseKeepAliveResponse> leaseKeepAlive(LeaseKeepAliveRequest r) {
        return run(() -> LeaseKeepAliveResponse.newBuilder().setHeader(header()).setID(r.getID())
                .setTTL(leases.getOrDefault(r.getID(), 0L)).build());
    }

    @Override
    public synchronized CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest r) {
        Long ttl = leases.get(r.getID());
        LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder().setHeader(header()).setID(r.getID())
                .setTTL(ttl == null ? -1 : ttl).setGrantedTTL(ttl == null ? 0 : ttl);
        if (ttl != null && r.getKeys()) {
            at(revision).values().stream().filter(kv -> kv.getLease() == r.getID()).forEach(kv -> b.addKeys(
                    kv.getKey()));
        }
        return run(b::build);
    }

    @Override
    public synchronized CompletableFuture<LeaseLeasesResponse> leaseLeases() {
        LeaseLeasesResponse.Builder b = LeaseLeasesResponse.newBuilder().setHeader(header());
        leases.keySet().forEach(id -> b.addLeases(LeaseStatus.newBuilder().setID(id)));
        return run(b::build);
    }

    @Override
    public synchronized Watch watch(WatchCreateRequest request, WatchListener listener) {
        listener.onResponse(WatchResponse.newBuilder().setHeader(header()).setCreated(true).build());
        if (request.getStartRevision() > 0 && request.getStartRevision() < compacted) {
            listener.onResponse(WatchResponse.newBuilder().setHeader(header()).setCanceled(true)
                    .setCompactRevision(compacted).build());
            return watchOf(() -> { });
        }
        for (Event e : history) {
            if (request.getStartRevision() > 0 && e.getKv().getModRevision() >= request.getStartRevision()
                    && inRange(e.getKv().getKey(), request.getKey(), request.getRangeEnd())) {
                listener.onResponse(WatchResponse.newBuilder().setHeader(header()).addEvents(e).build());
            }
        }
        Object[] w = {request, listener};
        watchers.add(w);
        return watchOf(() -> {
            synchronized (MiniKv.this) {
                watchers.remove(w);
            }
        });
    }

    private static Watch watchOf(Runnable cancel) {
        return new Watch() {
            @Override
            public void cancel() {
                cancel.run();
            }

            @Override
            public void requestProgress() {
            }
        };
    }

    @Override
    public void close() {
    }
}
