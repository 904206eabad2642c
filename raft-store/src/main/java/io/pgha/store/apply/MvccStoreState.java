package io.pgha.store.apply;

import com.google.protobuf.ByteString;
import io.pgha.store.StoreException;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.lease.Lease;
import io.pgha.store.lease.Lessor;
import io.pgha.store.mvcc.KeyRange;
import io.pgha.store.mvcc.MvccStore;
import io.pgha.store.mvcc.RangeExecutor;
import io.pgha.store.mvcc.RequestChecks;
import io.pgha.store.mvcc.TxnExecutor;
import io.pgha.store.mvcc.WriteTxn;
import io.pgha.store.proto.CompactionResponse;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseStatus;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.StoreError;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.watch.WatchHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The store state of pgha: {@link MvccStore} + {@link Lessor} + {@link WatchHub}, with etcd's apply rules. Apply
 * holds the write lock for the whole entry (so readers never see half a txn) and publishes the events to the
 * watch hub before releasing it; reads take the read lock.
 */
public final class MvccStoreState implements StoreState {
    private static final ExecutorService DEFAULT_DELIVERY = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "store-watch-delivery");
        t.setDaemon(true);
        return t;
    });

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final MvccStore kv = new MvccStore();
    private final Lessor lessor;
    private final TxnExecutor exec;
    private final WatchHub hub;

    /** etcd's defaults: minimum lease TTL 2 s, 1000 queued events per watcher, a shared delivery pool. */
    public MvccStoreState() {
        this(Lessor.DEFAULT_MIN_TTL, DEFAULT_DELIVERY, WatchHub.DEFAULT_MAX_QUEUED_EVENTS);
    }

    public MvccStoreState(long minLeaseTtlSeconds, Executor watchDelivery, int maxQueuedEventsPerWatch) {
        this(minLeaseTtlSeconds, watchDelivery, maxQueuedEventsPerWatch, WatchHub.DEFAULT_PROGRESS_INTERVAL);
    }

    /** As above, with the interval of progress notifications to watches with {@code progress_notify}. */
    public MvccStoreState(long minLeaseTtlSeconds, Executor watchDelivery, int maxQueuedEventsPerWatch,
            Duration watchProgressInterval) {
        this.lessor = new Lessor(minLeaseTtlSeconds);
        this.exec = new TxnExecutor(lessor::exists);
        this.hub = new WatchHub(kv, lock.readLock(), watchDelivery, maxQueuedEventsPerWatch, watchProgressInterval);
    }

    /** etcd's defaults, with the interval of progress notifications to watches with {@code progress_notify}. */
    public MvccStoreState(Duration watchProgressInterval) {
        this(Lessor.DEFAULT_MIN_TTL, DEFAULT_DELIVERY, WatchHub.DEFAULT_MAX_QUEUED_EVENTS, watchProgressInterval);
    }

    private static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    @Override
    public LogReply apply(LogEntry entry) {
        lock.writeLock().lock();
        try {
            return dispatch(entry);
        } catch (StoreException e) {
            return LogReply.newBuilder().setError(e.toProto()).build();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private LogReply dispatch(LogEntry entry) {
        LogReply.Builder reply = LogReply.newBuilder();
        switch (entry.getCommandCase()) {
            case PUT -> {
                RequestChecks.checkPut(entry.getPut());
                WriteTxn w = kv.write();
                reply.setPut(exec.put(entry.getPut(), w).toBuilder().setHeader(commit(w)));
            }
            case DELETE_RANGE -> {
                RequestChecks.checkDelete(entry.getDeleteRange());
                WriteTxn w = kv.write();
                reply.setDeleteRange(exec.delete(entry.getDeleteRange(), w).toBuilder().setHeader(commit(w)));
            }
            case TXN -> {
                RequestChecks.checkTxn(entry.getTxn());
                WriteTxn w = kv.write();
                reply.setTxn(exec.txn(entry.getTxn(), w).toBuilder().setHeader(commit(w)));
            }
            case LEASE_GRANT -> reply.setLeaseGrant(grant(entry.getLeaseGrant()));
            case LEASE_REVOKE -> {
                lessor.revoke(entry.getLeaseRevoke().getID(), this::deleteKeys);
                reply.setLeaseRevoke(LeaseRevokeResponse.newBuilder().setHeader(header(kv.revision())));
            }
            case LEASE_EXPIRE -> {
                if (lessor.exists(entry.getLeaseExpire().getID())) {
                    lessor.revoke(entry.getLeaseExpire().getID(), this::deleteKeys);
                }
                reply.setLeaseRevoke(LeaseRevokeResponse.newBuilder().setHeader(header(kv.revision())));
            }
            case COMPACTION -> {
                kv.compact(entry.getCompaction().getRevision());
                reply.setCompaction(CompactionResponse.newBuilder().setHeader(header(kv.revision())));
            }
            default -> reply.setError(StoreError.newBuilder().setCode(io.pgha.store.EtcdErrors.INVALID_ARGUMENT)
                    .setMessage("pgha: empty log entry"));
        }
        return reply.build();
    }

    private LeaseGrantResponse grant(LeaseGrantRequest r) {
        Lease lease = lessor.grant(r.getID(), r.getTTL());
        return LeaseGrantResponse.newBuilder().setHeader(header(kv.revision())).setID(lease.id())
                .setTTL(lease.ttl()).build();
    }

    private void deleteKeys(List<ByteString> keys) {
        WriteTxn w = kv.write();
        for (ByteString key : keys) {
            w.deleteRange(KeyRange.single(key));
        }
        commit(w);
    }

    /** Commits, keeps lease attachments in step with the events, publishes them; returns the new header. */
    private ResponseHeader commit(WriteTxn w) {
        List<Event> events = w.commit();
        for (Event e : events) {
            ByteString key = e.getKv().getKey();
            if (e.hasPrevKv() && e.getPrevKv().getLease() != 0) {
                lessor.detach(e.getPrevKv().getLease(), key);
            }
            if (e.getType() == Event.EventType.PUT && e.getKv().getLease() != 0) {
                lessor.attach(e.getKv().getLease(), key);
            }
        }
        if (!events.isEmpty()) {
            hub.publish(kv.revision(), events);
        }
        return header(kv.revision());
    }

    @Override
    public RangeResponse range(RangeRequest request) {
        RequestChecks.checkRange(request);
        lock.readLock().lock();
        try {
            return RangeExecutor.range(kv, request, kv.revision());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
        lock.readLock().lock();
        try {
            LeaseTimeToLiveResponse.Builder out = LeaseTimeToLiveResponse.newBuilder()
                    .setHeader(header(kv.revision())).setID(request.getID()).setTTL(-1);
            Lease lease = lessor.lookup(request.getID());
            if (lease != null) {
                out.setTTL(lease.ttl()).setGrantedTTL(lease.ttl());
                if (request.getKeys()) {
                    out.addAllKeys(lease.keys());
                }
            }
            return out.build();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public LeaseLeasesResponse leases() {
        lock.readLock().lock();
        try {
            LeaseLeasesResponse.Builder out = LeaseLeasesResponse.newBuilder().setHeader(header(kv.revision()));
            lessor.leases().forEach(l -> out.addLeases(LeaseStatus.newBuilder().setID(l.id())));
            return out.build();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Map<Long, Long> leaseTtls() {
        lock.readLock().lock();
        try {
            return lessor.ttls();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long revision() {
        lock.readLock().lock();
        try {
            return kv.revision();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long compactRevision() {
        lock.readLock().lock();
        try {
            return kv.compactRevision();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Watch watch(WatchCreateRequest request, WatchListener listener) {
        return hub.open(request, listener);
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            SnapshotFormat.write(out, kv, lessor);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void readSnapshot(InputStream in) throws IOException {
        SnapshotFormat.Contents contents = SnapshotFormat.read(in);
        lock.writeLock().lock();
        try {
            kv.restore(contents.history(), contents.revision(), contents.compactRevision());
            lessor.restore(contents.leaseTtls(), contents.leaseKeys());
            hub.cancelAll("pgha: store state replaced by a snapshot; watch again from your last revision");
        } finally {
            lock.writeLock().unlock();
        }
    }
}
