package io.pgha.store.api;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.pgha.store.EtcdErrors;
import io.pgha.store.KvStore;
import io.pgha.store.StoreCluster;
import io.pgha.store.StoreCluster.StoreStatus;
import io.pgha.store.StoreException;
import io.pgha.store.proto.AlarmRequest;
import io.pgha.store.proto.AlarmResponse;
import io.pgha.store.proto.DefragmentRequest;
import io.pgha.store.proto.DefragmentResponse;
import io.pgha.store.proto.HashKVRequest;
import io.pgha.store.proto.HashKVResponse;
import io.pgha.store.proto.HashRequest;
import io.pgha.store.proto.HashResponse;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.MaintenanceGrpc;
import io.pgha.store.proto.MoveLeaderRequest;
import io.pgha.store.proto.MoveLeaderResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.SnapshotRequest;
import io.pgha.store.proto.SnapshotResponse;
import io.pgha.store.proto.StatusRequest;
import io.pgha.store.proto.StatusResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.zip.CRC32C;

/**
 * {@code etcdserverpb.Maintenance}. The store has no alarms (GET answers none, other actions are accepted and
 * change nothing) and nothing to defragment. Hash and HashKV are a CRC-32C over the key space as this member sees
 * it, so that members can be compared with each other (not with etcd's bbolt hash). Snapshot streams the
 * store's own snapshot format.
 */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The etcd version this API reproduces; etcdctl prints it in {@code endpoint status}. */
    static final String SERVER_VERSION = "3.4.23";
    static final String CLUSTER_VERSION = "3.4.0";
    /** etcd's snapshot stream chunk size. */
    private static final int SNAPSHOT_CHUNK = 32 * 1024;
    private static final int SNAPSHOT_PAGE = 512;
    static final StoreException BAD_TRANSFEREE =
            new StoreException(EtcdErrors.FAILED_PRECONDITION, "etcdserver: bad leader transferee");
    private static final ByteString ALL = ByteString.copyFrom(new byte[] {0});

    private final KvStore store;
    private final StoreCluster cluster;
    private final Headers headers;

    MaintenanceService(KvStore store, StoreCluster cluster, Headers headers) {
        this.store = store;
        this.cluster = cluster;
        this.headers = headers;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Replies.call(headers::current, h -> {
            StoreStatus s = cluster.status();
            return StatusResponse.newBuilder().setHeader(h).setVersion(SERVER_VERSION).setDbSize(s.dbSize())
                    .setDbSizeInUse(s.dbSize()).setLeader(s.leaderId()).setRaftIndex(s.raftIndex())
                    .setRaftTerm(s.raftTerm()).setRaftAppliedIndex(s.raftAppliedIndex()).addAllErrors(s.errors())
                    .setIsLearner(s.learner()).build();
        }, observer);
    }

    /** etcd 3.4 answers both with an empty message, not even a header (observed). */
    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
        observer.onNext(AlarmResponse.getDefaultInstance());
        observer.onCompleted();
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> observer) {
        observer.onNext(DefragmentResponse.getDefaultInstance());
        observer.onCompleted();
    }

    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> observer) {
        Replies.call(() -> store.range(everything(0)), r -> HashResponse.newBuilder()
                .setHeader(headers.stamp(r.getHeader())).setHash(crc(r)).build(), observer);
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> observer) {
        Replies.call(() -> store.range(everything(request.getRevision())), r -> HashKVResponse.newBuilder()
                .setHeader(headers.stamp(r.getHeader())).setHash(crc(r)).build(), observer);
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> observer) {
        Replies.call(() -> cluster.moveLeader(request.getTargetID()).exceptionally(e -> {
            Throwable cause = Replies.unwrap(e);
            if (cause instanceof StoreException se && se.code() == EtcdErrors.NOT_FOUND) {
                throw BAD_TRANSFEREE; // etcd's answer for a target that is not a member
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
        }).thenCompose(v -> headers.current()),
                h -> MoveLeaderResponse.newBuilder().setHeader(h).build(), observer);
    }

    /**
     * Streams this member's store snapshot as etcd streams its backend: 32 KiB blobs with the bytes still to come,
     * the data, zero-padded to whole 512-byte pages, followed by its SHA-256 (etcdctl 3.4's {@code snapshot save}
     * rejects a stream whose length is not pages plus a checksum). The data is pgha's snapshot format, not a bbolt
     * file: {@code snapshot save} stores it, {@code snapshot status} and {@code restore} cannot read it.
     */
    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
        store.snapshot().thenCombine(headers.current(), (data, header) -> {
            byte[] all = withSha256(data);
            for (int from = 0; from < all.length; from += SNAPSHOT_CHUNK) {
                int to = Math.min(all.length, from + SNAPSHOT_CHUNK);
                observer.onNext(SnapshotResponse.newBuilder().setHeader(header).setRemainingBytes(all.length - to)
                        .setBlob(ByteString.copyFrom(all, from, to - from)).build());
            }
            observer.onCompleted();
            return null;
        }).exceptionally(e -> {
            observer.onError(Replies.toStatus(e));
            return null;
        });
    }

    private static byte[] withSha256(byte[] data) {
        try {
            byte[] pages = Arrays.copyOf(data, (data.length + SNAPSHOT_PAGE - 1) / SNAPSHOT_PAGE * SNAPSHOT_PAGE);
            byte[] sum = MessageDigest.getInstance("SHA-256").digest(pages);
            byte[] all = Arrays.copyOf(pages, pages.length + sum.length);
            System.arraycopy(sum, 0, all, pages.length, sum.length);
            return all;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static RangeRequest everything(long revision) {
        return RangeRequest.newBuilder().setKey(ALL).setRangeEnd(ALL).setRevision(revision).setSerializable(true)
                .build();
    }

    private static int crc(RangeResponse r) {
        CRC32C crc = new CRC32C();
        for (KeyValue kv : r.getKvsList()) {
            crc.update(kv.getKey().asReadOnlyByteBuffer());
            crc.update(kv.getValue().asReadOnlyByteBuffer());
            crc.update(Long.hashCode(kv.getModRevision()));
        }
        return (int) crc.getValue();
    }
}
