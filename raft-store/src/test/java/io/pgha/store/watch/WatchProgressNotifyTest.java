package io.pgha.store.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.store.Watch;
import io.pgha.store.mvcc.MvccStore;
import io.pgha.store.mvcc.WriteTxn;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Periodic progress notifications (etcd's progress_notify), with a short interval instead of etcd's 10 min. */
class WatchProgressNotifyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final MvccStore kv = new MvccStore();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final WatchHub hub = new WatchHub(kv, lock.readLock(), Runnable::run, 10, Duration.ofMillis(50));

    private void put(String key) {
        lock.writeLock().lock();
        try {
            WriteTxn w = kv.write();
            w.put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8("v"), 0);
            List<Event> events = w.commit();
            hub.publish(kv.revision(), events);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static WatchCreateRequest watch(String key, boolean progressNotify) {
        return WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setProgressNotify(progressNotify)
                .build();
    }

    private static List<WatchResponse> progress(List<WatchResponse> responses) {
        return responses.stream().filter(r -> !r.getCreated() && !r.getCanceled() && r.getEventsCount() == 0)
                .toList();
    }

    @Test
    void aWatchAskingForProgressGetsEmptyResponsesWithTheCurrentRevision() {
        List<WatchResponse> notified = new CopyOnWriteArrayList<>();
        List<WatchResponse> plain = new CopyOnWriteArrayList<>();
        hub.open(watch("a", true), notified::add);
        hub.open(watch("a", false), plain::add);
        put("a");
        put("other");
        long current = kv.revision();
        awaitUntil(() -> progress(notified).stream().filter(r -> r.getHeader().getRevision() == current).count() >= 2,
                () -> current + " " + notified);
        assertThat(progress(notified)).allSatisfy(r -> assertThat(r.getHeader().getRevision()).isPositive());
        assertThat(notified.stream().filter(r -> r.getEventsCount() > 0)).hasSize(1);
        assertThat(progress(plain)).as("no progress_notify, no progress responses").isEmpty();
    }

    @Test
    void aCancelledWatchGetsNoMoreProgress() throws Exception {
        List<WatchResponse> notified = new CopyOnWriteArrayList<>();
        Watch w = hub.open(watch("a", true), notified::add);
        awaitUntil(() -> !progress(notified).isEmpty(), notified::toString);
        w.cancel();
        int seen = notified.size();
        // Ten intervals: a live timer would have delivered several more by now.
        List<WatchResponse> other = new CopyOnWriteArrayList<>();
        hub.open(watch("b", true), other::add);
        awaitUntil(() -> progress(other).size() >= 10, other::toString);
        assertThat(notified).hasSize(seen);
    }

    private static void awaitUntil(BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT + "; saw " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
