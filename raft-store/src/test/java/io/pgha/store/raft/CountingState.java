package io.pgha.store.raft;

import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.apply.StoreState;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.WatchCreateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StoreState} decorator that records every lease expiry that removed a live lease, and when. */
final class CountingState implements StoreState {
    private final StoreState delegate;
    private final List<Expiry> expiries = new CopyOnWriteArrayList<>();

    CountingState(StoreState delegate) {
        this.delegate = delegate;
    }

    /** A lease expiry applied on this replica: the lease and System.nanoTime() of the apply. */
    record Expiry(long leaseId, long appliedAtNanos) {
    }

    List<Expiry> expiries(long leaseId) {
        return expiries.stream().filter(e -> e.leaseId() == leaseId).toList();
    }

    @Override
    public LogReply apply(LogEntry entry) {
        if (entry.hasLeaseExpire() && delegate.leaseTtls().containsKey(entry.getLeaseExpire().getID())) {
            expiries.add(new Expiry(entry.getLeaseExpire().getID(), System.nanoTime()));
        }
        return delegate.apply(entry);
    }

    @Override
    public RangeResponse range(RangeRequest request) {
        return delegate.range(request);
    }

    @Override
    public LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
        return delegate.timeToLive(request);
    }

    @Override
    public LeaseLeasesResponse leases() {
        return delegate.leases();
    }

    @Override
    public Map<Long, Long> leaseTtls() {
        return delegate.leaseTtls();
    }

    @Override
    public long revision() {
        return delegate.revision();
    }

    @Override
    public long compactRevision() {
        return delegate.compactRevision();
    }

    @Override
    public Watch watch(WatchCreateRequest request, WatchListener listener) {
        return delegate.watch(request, listener);
    }

    @Override
    public void writeSnapshot(OutputStream out) throws IOException {
        delegate.writeSnapshot(out);
    }

    @Override
    public void readSnapshot(InputStream in) throws IOException {
        delegate.readSnapshot(in);
    }
}
