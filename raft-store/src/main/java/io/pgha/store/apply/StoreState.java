package io.pgha.store.apply;

import io.pgha.store.StoreException;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
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
import java.util.Map;

/**
 * The deterministic state of one store replica: MVCC key space, lease grants and watchers. The Raft state machine
 * (or, unreplicated, a local driver) feeds it committed {@link LogEntry}s in log order. It imports nothing of Ratis.
 *
 * <p>Determinism: {@link #apply} reads no clock and no random source. A lease grant arrives with its ID already
 * chosen (non-zero) by whoever proposed it; lease expiry arrives as a {@code lease_expire} entry decided by the
 * leader. Headers in replies carry only {@code revision}; the caller adds cluster, member and term.
 *
 * <p>Threading: {@link #apply}, {@link #writeSnapshot} and {@link #readSnapshot} are called from one thread (the
 * apply thread). Reads may be called concurrently with apply from other threads and see a consistent state as of
 * some applied entry. Watch delivery never runs on, nor blocks, the apply thread.
 */
public interface StoreState {

    /** Applies one committed entry. Business errors are returned as {@code LogReply.error}, never thrown. */
    LogReply apply(LogEntry entry);

    /** A read of the local copy. Throws {@link StoreException} for compacted/future revisions, empty keys. */
    RangeResponse range(RangeRequest request);

    /** Unknown lease: TTL -1. The caller's lease clock computes the remaining TTL; this fills ID, grantedTTL, keys. */
    LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request);

    LeaseLeasesResponse leases();

    /** Every granted lease ID with its granted TTL in seconds, for the leader's expiry tracker. */
    Map<Long, Long> leaseTtls();

    /** The current revision; 1 for an empty store. */
    long revision();

    /** The revision compacted at, 0 if never compacted. */
    long compactRevision();

    /** See {@link io.pgha.store.KvStore#watch}. */
    Watch watch(WatchCreateRequest request, WatchListener listener);

    /** Writes the whole state in the explicit, versioned snapshot format (never Java serialization). */
    void writeSnapshot(OutputStream out) throws IOException;

    /**
     * Replaces the whole state with a snapshot written by {@link #writeSnapshot}. Open watches are cancelled with a
     * reason (their clients re-watch from their last revision), since events between the old and new state are lost.
     */
    void readSnapshot(InputStream in) throws IOException;
}
