package io.pgha.store.testing;

import com.google.protobuf.ByteString;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The model's watches: on every new revision each open watch gets that revision's matching events. One delivery
 * thread for all watches keeps each watch's responses in order. Called with the model's lock held.
 */
final class ModelWatches {
    private final ModelKeySpace ks;
    private final List<ModelWatch> open = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "inmemorykv-watch");
        t.setDaemon(true);
        return t;
    });
    private final Supplier<ResponseHeader> header;
    private long published;

    ModelWatches(ModelKeySpace ks, Supplier<ResponseHeader> header) {
        this.ks = ks;
        this.header = header;
        this.published = ks.current();
    }

    private final class ModelWatch implements Watch {
        final WatchCreateRequest req;
        final WatchListener listener;
        volatile boolean cancelled;

        ModelWatch(WatchCreateRequest req, WatchListener listener) {
            this.req = req;
            this.listener = listener;
        }

        void send(WatchResponse r) {
            delivery.execute(() -> {
                if (!cancelled) {
                    listener.onResponse(r);
                }
            });
        }

        List<Event> matching(List<Event> events) {
            List<Event> out = new ArrayList<>();
            for (Event e : events) {
                boolean filtered = req.getFiltersList().contains(e.getType() == Event.EventType.PUT
                        ? WatchCreateRequest.FilterType.NOPUT : WatchCreateRequest.FilterType.NODELETE);
                if (!filtered && ModelKeySpace.inRange(e.getKv().getKey(), key(), req.getRangeEnd())) {
                    out.add(req.getPrevKv() ? e : e.toBuilder().clearPrevKv().build());
                }
            }
            return out;
        }

        private ByteString key() {
            return req.getKey().isEmpty() ? ModelKeySpace.ZERO : req.getKey();
        }

        @Override
        public void cancel() {
            cancelled = true;
            open.remove(this);
        }

        @Override
        public void requestProgress() {
            synchronized (ModelWatches.this) {
                // the last published revision: every event up to it is already queued before this note
                send(WatchResponse.newBuilder().setHeader(header.get().toBuilder().setRevision(published)).build());
            }
        }
    }

    synchronized Watch open(WatchCreateRequest req, WatchListener listener) {
        ModelWatch w = new ModelWatch(req, listener);
        w.send(WatchResponse.newBuilder().setHeader(header.get()).setCreated(true).build());
        long start = req.getStartRevision();
        ByteString end = req.getRangeEnd();
        boolean empty = !end.isEmpty() && !end.equals(ModelKeySpace.ZERO)
                && ByteString.unsignedLexicographicalComparator().compare(w.key(), end) >= 0;
        if (empty || start < 0 || start > 0 && start < ks.compacted()) {
            WatchResponse.Builder r = WatchResponse.newBuilder().setHeader(header.get()).setCanceled(true);
            if (empty) {
                r.setCancelReason("mvcc: watcher range is empty");
            } else if (start < 0) {
                r.setCancelReason("pgha: negative watch start revision");
            } else {
                r.setCompactRevision(ks.compacted())
                        .setCancelReason("etcdserver: mvcc: required revision has been compacted");
            }
            w.send(r.build());
            return w;
        }
        if (start > 0) {
            List<Event> history = new ArrayList<>();
            for (long rev = Math.max(start, 2); rev <= ks.current(); rev++) {
                history.addAll(w.matching(ks.at(rev).events()));
            }
            if (!history.isEmpty()) {
                w.send(WatchResponse.newBuilder().setHeader(header.get()).addAllEvents(history).build());
            }
        }
        open.add(w);
        return w;
    }

    /** Sends the events of every revision appended since the last call. */
    synchronized void publish() {
        for (long rev = published + 1; rev <= ks.current(); rev++) {
            for (ModelWatch w : open) {
                List<Event> events = w.matching(ks.at(rev).events());
                if (!events.isEmpty()) {
                    w.send(WatchResponse.newBuilder().setHeader(header.get().toBuilder().setRevision(rev))
                            .addAllEvents(events).build());
                }
            }
        }
        published = ks.current();
    }

    synchronized void close() {
        open.forEach(ModelWatch::cancel);
        delivery.shutdownNow();
    }
}
