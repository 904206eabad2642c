package io.pgha.store.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pgha.store.KvStore;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseGrpc;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseKeepAliveResponse;
import io.pgha.store.proto.LeaseLeasesRequest;
import io.pgha.store.proto.LeaseLeasesResponse;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseRevokeResponse;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import java.util.concurrent.CompletableFuture;

/**
 * {@code etcdserverpb.Lease}. Keep-alive answers each request in order, one response per request; an unknown lease
 * gets TTL 0 from the store, not an error. When the client half-closes, the stream ends after the last answer (this
 * is what ends the gateway's {@code /v3/lease/keepalive} response, which Patroni 3.0 relies on).
 */
final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final KvStore store;
    private final Headers headers;

    LeaseService(KvStore store, Headers headers) {
        this.store = store;
        this.headers = headers;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
        Replies.call(() -> store.leaseGrant(request),
                r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
        Replies.call(() -> store.leaseRevoke(request),
                r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
        Replies.call(() -> store.leaseTimeToLive(request),
                r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(), observer);
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> observer) {
        Replies.call(store::leaseLeases, r -> r.toBuilder().setHeader(headers.stamp(r.getHeader())).build(),
                observer);
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> responses) {
        return new KeepAliveStream(responses);
    }

    /** Chains the answers so that they leave in request order, and the end after the last of them. */
    private final class KeepAliveStream implements StreamObserver<LeaseKeepAliveRequest> {
        private final StreamObserver<LeaseKeepAliveResponse> responses;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private volatile boolean cancelled;

        KeepAliveStream(StreamObserver<LeaseKeepAliveResponse> responses) {
            this.responses = responses;
            if (responses instanceof ServerCallStreamObserver<LeaseKeepAliveResponse> call) {
                call.setOnCancelHandler(() -> cancelled = true);
            }
        }

        @Override
        public synchronized void onNext(LeaseKeepAliveRequest request) {
            CompletableFuture<LeaseKeepAliveResponse> answer;
            try {
                answer = store.leaseKeepAlive(request);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<LeaseKeepAliveResponse> pending = answer;
            tail = tail.thenCompose(ignored -> pending).thenAccept(r -> {
                if (!cancelled) {
                    responses.onNext(r.toBuilder().setHeader(headers.stamp(r.getHeader())).build());
                }
            });
            tail.exceptionally(e -> {
                fail(e);
                return null;
            });
        }

        private synchronized void fail(Throwable e) {
            if (!cancelled) {
                cancelled = true;
                responses.onError(Replies.toStatus(e));
            }
        }

        @Override
        public void onError(Throwable t) {
            cancelled = true;
        }

        @Override
        public synchronized void onCompleted() {
            tail.thenRun(() -> {
                if (!cancelled) {
                    responses.onCompleted();
                }
            });
        }
    }
}
