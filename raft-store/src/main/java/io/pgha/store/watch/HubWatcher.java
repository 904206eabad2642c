package io.pgha.store.watch;

import com.google.protobuf.ByteString;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.mvcc.KeyRange;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch. Its state is guarded by its monitor; {@link #drain()} is its only consumer and is scheduled at most
 * once at a time, so the listener is never called concurrently with itself.
 */
final class HubWatcher implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(HubWatcher.class);
    /** Revisions read from history per catch-up step, to bound each step's memory and lock time. */
    static final int CATCH_UP_REVISIONS = 500;
    static final String COMPACTED_REASON = "etcdserver: mvcc: required revision has been compacted";
    /** etcd's mvcc.ErrEmptyWatcherRange, for a range_end at or before the key. */
    static final String EMPTY_RANGE_REASON = "mvcc: watcher range is empty";
    static final String NEGATIVE_START_REASON = "pgha: negative watch start revision";

    private final WatchHub hub;
    private final KeyRange range;
    private final boolean prevKv;
    private final boolean noPut;
    private final boolean noDelete;
    private final long startRevision;
    private final WatchListener listener;

    private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
    private int queuedEvents;
    private boolean synced;
    /** While catching up: the next revision to read from history. While synced: the last revision queued. */
    private long position;
    private boolean progressPending;
    private boolean terminated;
    private volatile boolean cancelled;
    private boolean scheduled;
    private ScheduledFuture<?> progressTicks;

    HubWatcher(WatchHub hub, WatchCreateRequest req, WatchListener listener) {
        this.hub = hub;
        this.range = KeyRange.of(req.getKey().isEmpty() ? KeyRange.ZERO : req.getKey(), req.getRangeEnd());
        this.prevKv = req.getPrevKv();
        this.noPut = req.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        this.noDelete = req.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        this.startRevision = req.getStartRevision();
        this.listener = listener;
    }

    /** Called under the store's read lock, so no revision is published meanwhile. */
    synchronized void start(long cur) {
        queue.add(WatchResponse.newBuilder().setHeader(WatchHub.header(cur)).setCreated(true).build());
        if (emptyRange()) {
            terminateLocked(WatchResponse.newBuilder().setHeader(WatchHub.header(cur)).setCanceled(true)
                    .setCancelReason(EMPTY_RANGE_REASON).build());
        } else if (startRevision < 0) {
            terminateLocked(WatchResponse.newBuilder().setHeader(WatchHub.header(cur)).setCanceled(true)
                    .setCancelReason(NEGATIVE_START_REASON).build());
        } else if (startRevision == 0 || startRevision > cur) {
            synced = true;
            position = cur;
        } else {
            position = startRevision;
        }
        signal();
    }

    private boolean emptyRange() {
        ByteString end = range.end();
        return !end.isEmpty() && !end.equals(KeyRange.ZERO) && KeyRange.ORDER.compare(range.key(), end) >= 0;
    }

    List<Event> matching(List<Event> events) {
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            boolean put = e.getType() == Event.EventType.PUT;
            if ((put ? noPut : noDelete) || !range.contains(e.getKv().getKey())) {
                continue;
            }
            out.add(prevKv || !e.hasPrevKv() ? e : e.toBuilder().clearPrevKv().build());
        }
        return out;
    }

    /** Apply thread: queue the matching events of {@code revision}, or fall back to catch-up on overflow. */
    synchronized void offer(long revision, List<Event> events) {
        if (!synced || terminated || cancelled || revision <= position) {
            return;
        }
        position = revision;
        if (revision < startRevision) {
            return; // a watch from a future revision skips what comes before it
        }
        List<Event> mine = matching(events);
        if (mine.isEmpty()) {
            return;
        }
        if (queuedEvents + mine.size() > hub.maxQueuedEvents()) {
            overflow(revision);
        } else {
            queue.add(WatchResponse.newBuilder().setHeader(WatchHub.header(revision)).addAllEvents(mine).build());
            queuedEvents += mine.size();
        }
        signal();
    }

    /** Drops queued events (and progress notes, which would now lie) and resumes from the oldest dropped one. */
    private void overflow(long revision) {
        long resumeAt = revision;
        for (Iterator<WatchResponse> it = queue.iterator(); it.hasNext();) {
            WatchResponse r = it.next();
            if (r.getEventsCount() > 0) {
                resumeAt = Math.min(resumeAt, r.getEvents(0).getKv().getModRevision());
                it.remove();
            } else if (!r.getCreated() && !r.getCanceled()) {
                progressPending = true;
                it.remove();
            }
        }
        queuedEvents = 0;
        synced = false;
        position = resumeAt;
        LOG.debug("watch on {} fell behind; catching up from revision {}", range, resumeAt);
    }

    private void signal() {
        if (!scheduled && (!queue.isEmpty() || !synced && !terminated)) {
            scheduled = true;
            try {
                hub.delivery().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the store is closing: nobody is left to deliver to, and apply must not fail for it
                scheduled = false;
            }
        }
    }

    private void drain() {
        while (true) {
            WatchResponse next;
            synchronized (this) {
                next = cancelled ? null : queue.poll();
                if (next == null && (cancelled || synced || terminated)) {
                    scheduled = false;
                    return;
                }
                if (next != null) {
                    queuedEvents -= next.getEventsCount();
                }
            }
            if (next == null) {
                catchUp();
            } else if (!cancelled) {
                deliver(next);
            }
        }
    }

    private void deliver(WatchResponse r) {
        try {
            listener.onResponse(r);
        } catch (RuntimeException e) {
            LOG.warn("watch listener failed; cancelling the watch", e);
            cancel();
        }
    }

    /** One step of catch-up: up to CATCH_UP_REVISIONS revisions from history, under the read lock. */
    private void catchUp() {
        hub.readLock().lock();
        try {
            long cur = hub.store().revision();
            long compacted = hub.store().compactRevision();
            synchronized (this) {
                if (position < compacted) {
                    terminateLocked(WatchResponse.newBuilder().setHeader(WatchHub.header(cur)).setCanceled(true)
                            .setCompactRevision(compacted).setCancelReason(COMPACTED_REASON).build());
                    return;
                }
                long to = Math.min(cur, position + CATCH_UP_REVISIONS - 1);
                List<Event> events = matching(hub.store().events(range, position, to));
                if (!events.isEmpty()) {
                    queue.add(WatchResponse.newBuilder().setHeader(WatchHub.header(cur)).addAllEvents(events).build());
                    queuedEvents += events.size();
                }
                position = to + 1;
                if (to >= cur) {
                    synced = true;
                    position = cur;
                    if (progressPending) {
                        progressPending = false;
                        queue.add(WatchResponse.newBuilder().setHeader(WatchHub.header(cur)).build());
                    }
                }
            }
        } finally {
            hub.readLock().unlock();
        }
    }

    /** Queues a final response and stops everything else. */
    synchronized void terminate(WatchResponse last) {
        terminateLocked(last);
    }

    private void terminateLocked(WatchResponse last) {
        if (terminated || cancelled) {
            return;
        }
        queue.removeIf(r -> !r.getCreated());
        queuedEvents = 0;
        queue.add(last);
        terminated = true;
        synced = true;
        stopProgressTicks();
        hub.remove(this);
        signal();
    }

    @Override
    public synchronized void requestProgress() {
        if (terminated || cancelled) {
            return;
        }
        if (synced) {
            queueProgress();
        } else {
            progressPending = true;
        }
    }

    /** A periodic progress notification (progress_notify): only a synced watch gets one, as in etcd. */
    synchronized void notifyProgress() {
        if (terminated || cancelled) {
            stopProgressTicks();
        } else if (synced) {
            queueProgress();
        }
    }

    synchronized void progressTicks(ScheduledFuture<?> ticks) {
        progressTicks = ticks;
        if (terminated || cancelled) {
            stopProgressTicks();
        }
    }

    private void stopProgressTicks() {
        if (progressTicks != null) {
            progressTicks.cancel(false);
        }
    }

    private void queueProgress() {
        WatchResponse last = queue.peekLast();
        if (last != null && last.getEventsCount() == 0 && !last.getCreated() && !last.getCanceled()) {
            queue.pollLast(); // coalesce: a client asking faster than it reads must not grow the queue
        }
        queue.add(WatchResponse.newBuilder().setHeader(WatchHub.header(position)).build());
        signal();
    }

    /**
     * Stops delivery. Called from within the listener, no further response follows. Called from another thread,
     * a response whose delivery had already begun still completes: waiting for it here could deadlock a caller
     * that holds the lock its listener needs (e.g. the lock of a gRPC stream).
     */
    @Override
    public void cancel() {
        cancelled = true;
        hub.remove(this);
        synchronized (this) {
            queue.clear();
            queuedEvents = 0;
            stopProgressTicks();
        }
    }
}
