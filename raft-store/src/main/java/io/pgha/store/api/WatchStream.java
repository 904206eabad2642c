package io.pgha.store.api;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pgha.store.KvStore;
import io.pgha.store.Watch;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchRequest;
import io.pgha.store.proto.WatchResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client's watch stream, as etcd 3.4's serverWatchStream: watch IDs are assigned per stream from 0 (or taken
 * from the request's {@code watch_id}), a cancel answers {@code canceled} for a known ID and nothing for an unknown
 * one, a progress request answers {@code watch_id = -1} with the current revision. The stream stays open when the
 * client half-closes (etcd keeps serving its watches until the client goes away); every watch is cancelled when
 * the call ends.
 */
final class WatchStream implements StreamObserver<WatchRequest> {
    private static final long INVALID_WATCH_ID = -1;
    /** Holds an ID while the store opens the watch. */
    private static final Watch PENDING = new Watch() {
        @Override
        public void cancel() {
        }

        @Override
        public void requestProgress() {
        }
    };

    private final KvStore store;
    private final Headers headers;
    private final StreamObserver<WatchResponse> responses;
    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    /** Guards {@link #tail} only; never held while waiting for the store. */
    private final Object requestOrder = new Object();
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private long nextId;
    private boolean closed;

    WatchStream(KvStore store, Headers headers, StreamObserver<WatchResponse> responses) {
        this.store = store;
        this.headers = headers;
        this.responses = responses;
        if (responses instanceof ServerCallStreamObserver<WatchResponse> call) {
            call.setOnCancelHandler(this::cancelAll);
        }
    }

    /**
     * Requests are handled one after the other, each once the previous one's answer is out: etcd answers creates,
     * cancels and progress requests of one stream in request order, and a watch's {@code created} precedes any
     * cancel of it (observed).
     */
    @Override
    public void onNext(WatchRequest request) {
        synchronized (requestOrder) {
            tail = tail.thenCompose(ignored -> handle(request)).exceptionally(e -> null);
        }
    }

    private CompletableFuture<Void> handle(WatchRequest request) {
        return switch (request.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(request.getCreateRequest());
            case CANCEL_REQUEST -> cancel(request.getCancelRequest().getWatchId());
            case PROGRESS_REQUEST -> headers.current().thenAccept(h ->
                    send(WatchResponse.newBuilder().setHeader(h).setWatchId(INVALID_WATCH_ID).build()));
            default -> CompletableFuture.completedFuture(null);
        };
    }

    /** Completes when the watch's created response has been sent. */
    private CompletableFuture<Void> create(WatchCreateRequest request) {
        long id = assignId(request.getWatchId());
        if (id == INVALID_WATCH_ID) {
            return headers.current().thenAccept(h -> send(WatchResponse.newBuilder().setHeader(h)
                    .setWatchId(INVALID_WATCH_ID).setCreated(true).setCanceled(true).build()));
        }
        CompletableFuture<Void> created = new CompletableFuture<>();
        WatchCreateRequest.Builder normalised = request.toBuilder().setWatchId(id);
        if (request.getKey().isEmpty()) {
            normalised.setKey(ByteString.copyFrom(new byte[] {0})); // etcd: "\x00 is the smallest key"
        }
        try {
            Watch watch = store.watch(normalised.build(), r -> {
                deliver(id, r);
                if (r.getCreated()) {
                    created.complete(null);
                }
            });
            if (!watches.replace(id, PENDING, watch) || isClosed()) {
                watch.cancel(); // cancelled or the call ended while the watch was being opened
                created.complete(null);
            }
        } catch (RuntimeException e) {
            watches.remove(id);
            send(WatchResponse.newBuilder().setHeader(headers.withRevision(0)).setWatchId(id).setCreated(true)
                    .setCanceled(true).setCancelReason(String.valueOf(Replies.toStatus(e).getStatus()
                            .getDescription())).build());
            created.complete(null);
        }
        return created;
    }

    private synchronized long assignId(long requested) {
        if (requested != 0) {
            if (watches.containsKey(requested)) {
                return INVALID_WATCH_ID;
            }
            watches.put(requested, PENDING);
            return requested;
        }
        while (watches.containsKey(nextId)) {
            nextId++;
        }
        long id = nextId++;
        watches.put(id, PENDING);
        return id;
    }

    private void deliver(long id, WatchResponse fromStore) {
        WatchResponse.Builder out =
                fromStore.toBuilder().setWatchId(id).setHeader(headers.stamp(fromStore.getHeader()));
        if (fromStore.getCanceled()) {
            watches.remove(id);
            if (fromStore.getCompactRevision() != 0) {
                // etcd 3.4 reports a compacted start revision with revision 0 in the header and no reason (observed)
                out.setHeader(headers.withRevision(0)).clearCancelReason();
            }
        }
        send(out.build());
    }

    private CompletableFuture<Void> cancel(long id) {
        Watch watch = watches.remove(id);
        if (watch == null) {
            return CompletableFuture.completedFuture(null); // etcd answers nothing for an unknown ID
        }
        watch.cancel();
        return headers.current().thenAccept(h ->
                send(WatchResponse.newBuilder().setHeader(h).setWatchId(id).setCanceled(true).build()));
    }

    /** Responses of several watches arrive on different threads; a StreamObserver is not thread-safe. */
    private synchronized void send(WatchResponse response) {
        if (closed) {
            return;
        }
        try {
            responses.onNext(response);
        } catch (RuntimeException e) {
            // the call was cancelled under us; the cancel handler releases the watches
            closed = true;
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void cancelAll() {
        synchronized (this) {
            closed = true;
        }
        for (Long id : watches.keySet()) {
            Watch watch = watches.remove(id);
            if (watch != null) {
                watch.cancel();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        cancelAll();
    }

    /** etcd keeps the stream and its watches open after the client half-closes. */
    @Override
    public void onCompleted() {
        // nothing: the call ends when the client cancels it or disconnects
    }
}
