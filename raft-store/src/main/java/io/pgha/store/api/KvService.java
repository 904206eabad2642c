package io.pgha.store.api;

import io.grpc.stub.StreamObserver;
import io.pgha.store.KvStore;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.CompactionResponse;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.KVGrpc;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;

/** {@code etcdserverpb.KV}: checks as etcd's kvServer does, then calls the store. */
final class KvService extends KVGrpc.KVImplBase {
    private final KvStore store;
    private final Headers headers;

    KvService(KvStore store, Headers headers) {
        this.store = store;
        this.headers = headers;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
        Replies.call(() -> {
            RequestChecks.range(request);
            return store.range(request);
        }, r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        Replies.call(() -> {
            RequestChecks.put(request);
            RequestChecks.size(request);
            return store.put(request);
        }, r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> observer) {
        Replies.call(() -> {
            RequestChecks.delete(request);
            return store.deleteRange(request);
        }, r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
        Replies.call(() -> {
            RequestChecks.txn(request);
            RequestChecks.size(request);
            return store.txn(request);
        }, r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
        Replies.call(() -> store.compact(request),
                r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }
}
