package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.pgha.store.proto.AuthGrpc;
import io.pgha.store.proto.AuthenticateRequest;
import io.pgha.store.proto.ClusterGrpc;
import io.pgha.store.proto.KVGrpc;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrpc;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseKeepAliveResponse;
import io.pgha.store.proto.MaintenanceGrpc;
import io.pgha.store.proto.MemberListRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.SnapshotRequest;
import io.pgha.store.proto.StatusRequest;
import io.pgha.store.proto.StatusResponse;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.WatchCancelRequest;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchGrpc;
import io.pgha.store.proto.WatchRequest;
import io.pgha.store.proto.WatchResponse;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gRPC services over a real HTTP/2 connection to the one client port. */
class EtcdGrpcApiTest {
    private ApiFixture api;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", api.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        api.close();
    }

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void putThenRangeCarriesThisMembersHeader() {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        kv.put(PutRequest.newBuilder().setKey(b("a")).setValue(b("1")).build());
        RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(b("a")).build());
        assertThat(r.getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
        assertThat(r.getHeader().getClusterId()).isEqualTo(FakeStoreCluster.CLUSTER_ID);
        assertThat(r.getHeader().getMemberId()).isEqualTo(FakeStoreCluster.MEMBER_ID);
        assertThat(r.getHeader().getRaftTerm()).isEqualTo(2);
        assertThat(r.getHeader().getRevision()).isEqualTo(2);
    }

    @Test
    void emptyKeyIsRejectedWithEtcdsMessage() {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> kv.range(RangeRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: key is not provided");
                });
    }

    @Test
    void txnWritingOneKeyTwiceIsRejected() {
        RequestOp put = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("k"))).build();
        TxnRequest txn = TxnRequest.newBuilder().addSuccess(put).addSuccess(put).build();
        assertThatThrownBy(() -> KVGrpc.newBlockingStub(channel).txn(txn))
                .hasMessage("INVALID_ARGUMENT: etcdserver: duplicate key given in txn request");
    }

    @Test
    void oversizedPutIsTooLargeForEtcd() {
        PutRequest big = PutRequest.newBuilder().setKey(b("big"))
                .setValue(ByteString.copyFrom(new byte[RequestChecks.MAX_REQUEST_BYTES + 10])).build();
        assertThatThrownBy(() -> KVGrpc.newBlockingStub(channel).put(big))
                .hasMessage("INVALID_ARGUMENT: etcdserver: request is too large");
        assertThat(KVGrpc.newBlockingStub(channel).range(RangeRequest.newBuilder().setKey(b("big")).build())
                .getCount()).isZero();
    }

    @Test
    void messageOverTheGrpcLimitIsRefusedAndTheServerKeepsServing() {
        PutRequest huge = PutRequest.newBuilder().setKey(b("huge"))
                .setValue(ByteString.copyFrom(new byte[EtcdApiServer.MAX_INBOUND_MESSAGE_BYTES + 1])).build();
        assertThatThrownBy(() -> KVGrpc.newBlockingStub(channel).put(huge))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(KVGrpc.newBlockingStub(channel).put(PutRequest.newBuilder().setKey(b("small")).build())
                .getHeader().getRevision()).isEqualTo(2);
    }

    @Test
    void watchIdsArePerStreamFromZeroAndTheStreamOutlivesACancel() throws Exception {
        BlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(collect(got));
        requests.onNext(create("w"));
        requests.onNext(create("w"));
        WatchResponse first = poll(got);
        WatchResponse second = poll(got);
        assertThat(first.getCreated()).isTrue();
        assertThat(first.getWatchId()).isZero();
        assertThat(second.getWatchId()).isEqualTo(1);
        requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0))
                .build());
        WatchResponse canceled = poll(got);
        assertThat(canceled.getCanceled()).isTrue();
        assertThat(canceled.getWatchId()).isZero();
        KVGrpc.newBlockingStub(channel).put(PutRequest.newBuilder().setKey(b("w")).setValue(b("v")).build());
        WatchResponse event = poll(got);
        assertThat(event.getWatchId()).isEqualTo(1);
        assertThat(event.getEvents(0).getKv().getValue().toStringUtf8()).isEqualTo("v");
        assertThat(event.getHeader().getClusterId()).isEqualTo(FakeStoreCluster.CLUSTER_ID);
        requests.onCompleted();
    }

    @Test
    void keepAliveAnswersEachRequestAndEndsAfterHalfClose() throws Exception {
        long id = LeaseGrpc.newBlockingStub(channel).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build())
                .getID();
        BlockingQueue<LeaseKeepAliveResponse> got = new LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel).leaseKeepAlive(
                new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse value) {
                        got.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id + 1).build());
        requests.onCompleted();
        ended.get(5, TimeUnit.SECONDS);
        assertThat(got).extracting(LeaseKeepAliveResponse::getTTL).containsExactly(30L, 0L);
    }

    @Test
    void clusterMaintenanceAuthAndHealthAnswerAsEtcd() throws Exception {
        var members = ClusterGrpc.newBlockingStub(channel).memberList(MemberListRequest.getDefaultInstance());
        assertThat(members.getMembers(0).getClientURLsList()).containsExactly(api.endpoint());
        assertThat(members.getHeader().getRevision()).isZero();
        StatusResponse status = MaintenanceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
        assertThat(status.getVersion()).isEqualTo("3.4.23");
        assertThat(status.getLeader()).isEqualTo(status.getHeader().getMemberId());
        assertThatThrownBy(() -> AuthGrpc.newBlockingStub(channel).authenticate(AuthenticateRequest.newBuilder()
                .setName("u").setPassword("p").build()))
                .hasMessage("FAILED_PRECONDITION: etcdserver: authentication is not enabled");
        assertSnapshotIsTheStoreStateAndItsSha256();
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    private void assertSnapshotIsTheStoreStateAndItsSha256() throws Exception {
        KVGrpc.newBlockingStub(channel).put(PutRequest.newBuilder().setKey(b("snap")).setValue(b("shot")).build());
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        List<Long> remaining = new ArrayList<>();
        MaintenanceGrpc.newBlockingStub(channel).snapshot(SnapshotRequest.getDefaultInstance()).forEachRemaining(r -> {
            streamed.writeBytes(r.getBlob().toByteArray());
            remaining.add(r.getRemainingBytes());
        });
        byte[] all = streamed.toByteArray();
        byte[] data = Arrays.copyOf(all, all.length - 32);
        assertThat(remaining).last().isEqualTo(0L);
        byte[] state = api.store.snapshot().get(5, TimeUnit.SECONDS);
        assertThat(data.length % 512).as("whole 512-byte pages").isZero();
        assertThat(Arrays.copyOf(data, state.length)).isEqualTo(state);
        assertThat(Arrays.copyOfRange(data, state.length, data.length)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(all, data.length, all.length))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static WatchRequest create(String key) {
        return WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(b(key))).build();
    }

    private static WatchResponse poll(BlockingQueue<WatchResponse> q) throws InterruptedException {
        WatchResponse r = q.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a watch response within 5 s").isNotNull();
        return r;
    }

    private static <T> StreamObserver<T> collect(BlockingQueue<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
