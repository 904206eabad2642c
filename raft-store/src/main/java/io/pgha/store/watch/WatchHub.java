package io.pgha.store.watch;

import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.mvcc.MvccStore;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * The watchers of one store. {@link #publish} is called by the apply thread while it holds the store's write lock;
 * catch-up reads take {@code readLock}, so a watcher moves from catch-up to live with no gap and no duplicate.
 * Responses carry a header with only the revision; the caller adds cluster, member and term.
 */
public final class WatchHub {
    /** Default bound of queued events per watcher before it falls back to catching up from history. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1000;
    /** etcd's default interval of progress notifications to watches that asked for them (progress_notify). */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofMinutes(10);
    /** One timer for the progress notifications of every hub; a tick only queues a response (never blocks). */
    private static final ScheduledExecutorService PROGRESS_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "store-watch-progress");
        t.setDaemon(true);
        return t;
    });

    private final MvccStore store;
    private final Lock readLock;
    private final Executor delivery;
    private final int maxQueuedEvents;
    private final Duration progressInterval;
    private final Set<HubWatcher> watchers = ConcurrentHashMap.newKeySet();

    public WatchHub(MvccStore store, Lock readLock, Executor delivery, int maxQueuedEvents) {
        this(store, readLock, delivery, maxQueuedEvents, DEFAULT_PROGRESS_INTERVAL);
    }

    /** As above, with the interval of progress notifications ({@code progress_notify}); must be positive. */
    public WatchHub(MvccStore store, Lock readLock, Executor delivery, int maxQueuedEvents,
            Duration progressInterval) {
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("watch progress interval must be positive, got " + progressInterval);
        }
        this.store = store;
        this.readLock = readLock;
        this.delivery = delivery;
        this.maxQueuedEvents = maxQueuedEvents;
        this.progressInterval = progressInterval;
    }

    static ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    MvccStore store() {
        return store;
    }

    Lock readLock() {
        return readLock;
    }

    Executor delivery() {
        return delivery;
    }

    int maxQueuedEvents() {
        return maxQueuedEvents;
    }

    void remove(HubWatcher w) {
        watchers.remove(w);
    }

    /**
     * Opens a watch. Responses: {@code created} with the current revision, then history from the start revision
     * (if any), then live events. Start revision 0 means "from the next revision". With {@code progress_notify},
     * every progress interval a synced watch also gets a response with no events and the current revision (as
     * etcd: a watch still catching up gets none, its next events carry a newer revision anyway).
     */
    public Watch open(WatchCreateRequest request, WatchListener listener) {
        HubWatcher w;
        readLock.lock();
        try {
            long cur = store.revision();
            w = new HubWatcher(this, request, listener);
            watchers.add(w);
            w.start(cur);
        } finally {
            readLock.unlock();
        }
        if (request.getProgressNotify()) {
            long millis = progressInterval.toMillis();
            w.progressTicks(PROGRESS_TIMER.scheduleAtFixedRate(w::notifyProgress, millis, millis,
                    TimeUnit.MILLISECONDS));
        }
        return w;
    }

    /** Apply thread, under the store's write lock: the events of one committed revision. Never blocks. */
    public void publish(long revision, List<Event> events) {
        for (HubWatcher w : watchers) {
            w.offer(revision, events);
        }
    }

    /** Cancels every watch with {@code reason} (e.g. the state was replaced by a snapshot). */
    public void cancelAll(String reason) {
        for (HubWatcher w : watchers) {
            w.terminate(WatchResponse.newBuilder().setHeader(header(store.revision())).setCanceled(true)
                    .setCancelReason(reason).build());
        }
        watchers.clear();
    }

    /** Number of open watches. */
    public int size() {
        return watchers.size();
    }
}
