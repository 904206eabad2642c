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
import java.util.concurrent.CompletionException;
import java.util.zip.CRC32C;

/**
 * {@code etcdserverpb.Maintenance}. The store has no alarms (GET answers none, other actions are accepted and
 * change nothing) and nothing to defragment. Hash and HashKV are a CRC-32C over the key space as this member sees
 * it, so that members can be compared with each other (not with etcd's bbolt hash). Snapshot is not served here:
 * pgha's backups go through its own tooling.
 */
final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The etcd version this API reproduces; etcdctl prints it in {@code endpoint status}. */
    static final String SERVER_VERSION = "3.4.23";
    static final String CLUSTER_VERSION = "3.4.0";
    static final String SNAPSHOT_UNSUPPORTED =
            "pgha: snapshot is not served over the etcd API; use pgha's backup of the store";
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

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
        observer.onError(Replies.unimplemented(SNAPSHOT_UNSUPPORTED));
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
