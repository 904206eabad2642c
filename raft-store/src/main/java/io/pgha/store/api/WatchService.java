package io.pgha.store.api;

import io.grpc.stub.StreamObserver;
import io.pgha.store.KvStore;
import io.pgha.store.proto.WatchGrpc;
import io.pgha.store.proto.WatchRequest;
import io.pgha.store.proto.WatchResponse;

/** {@code etcdserverpb.Watch}: one {@link WatchStream} per call. */
final class WatchService extends WatchGrpc.WatchImplBase {
    private final KvStore store;
    private final Headers headers;

    WatchService(KvStore store, Headers headers) {
        this.store = store;
        this.headers = headers;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        return new WatchStream(store, headers, responses);
    }
}
