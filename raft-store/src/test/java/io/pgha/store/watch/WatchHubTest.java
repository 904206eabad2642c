package io.pgha.store.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.store.mvcc.MvccStore;
import io.pgha.store.mvcc.WriteTxn;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;

/** The hub with a hand-run executor: nothing is delivered until the test runs the queued tasks. */
class WatchHubTest {
    private final MvccStore kv = new MvccStore();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Executor manual = tasks::add;
    private final WatchHub hub = new WatchHub(kv, lock.readLock(), manual, 10);
    private final List<WatchResponse> received = new ArrayList<>();

    private void put(String key, String value) {
        lock.writeLock().lock();
        try {
            WriteTxn w = kv.write();
            w.put(ByteString.copyFromUtf8(key), ByteString.copyFromUtf8(value), 0);
            List<Event> events = w.commit();
            hub.publish(kv.revision(), events);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void runDelivery() {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    private List<Long> deliveredRevisions() {
        return received.stream().flatMap(r -> r.getEventsList().stream()).map(e -> e.getKv().getModRevision())
                .toList();
    }

    @Test
    void overflowingWatcherCatchesUpFromHistoryWithoutGapsOrDuplicates() {
        hub.open(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build(), received::add);
        for (int i = 0; i < 100; i++) {
            put("k", "v" + i);
        }
        assertThat(tasks).hasSize(1);
        runDelivery();
        assertThat(received.get(0).getCreated()).isTrue();
        assertThat(deliveredRevisions()).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(2, 101).boxed().toList());
        put("k", "live");
        runDelivery();
        assertThat(deliveredRevisions()).endsWith(102L);
    }

    @Test
    void overflowedWatcherWhoseHistoryWasCompactedIsCancelledWithTheCompactRevision() {
        hub.open(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build(), received::add);
        for (int i = 0; i < 50; i++) {
            put("k", "v" + i);
        }
        kv.compact(40);
        runDelivery();
        WatchResponse last = received.get(received.size() - 1);
        assertThat(last.getCanceled()).isTrue();
        assertThat(last.getCompactRevision()).isEqualTo(40);
        assertThat(last.getCancelReason()).contains("compacted");
        assertThat(hub.size()).isZero();
        put("k", "after");
        runDelivery();
        assertThat(received.get(received.size() - 1)).isSameAs(last);
    }

    @Test
    void progressWhileCatchingUpIsSentOnceCaughtUp() {
        put("k", "1");
        put("k", "2");
        var w = hub.open(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setStartRevision(2)
                .build(), received::add);
        w.requestProgress();
        runDelivery();
        assertThat(deliveredRevisions()).containsExactly(2L, 3L);
        WatchResponse progress = received.get(received.size() - 1);
        assertThat(progress.getEventsCount()).isZero();
        assertThat(progress.getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void cancelAllEndsEveryWatchWithTheReason() {
        hub.open(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build(), received::add);
        hub.cancelAll("replaced");
        runDelivery();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).getCanceled()).isTrue();
        assertThat(received.get(1).getCancelReason()).isEqualTo("replaced");
    }

    @Test
    void watchFromAFutureRevisionSkipsEarlierRevisionsButReportsProgressAtTheCurrentOne() {
        var w = hub.open(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setStartRevision(4)
                .build(), received::add);
        put("k", "2");
        put("k", "3");
        w.requestProgress();
        put("k", "4");
        runDelivery();
        assertThat(deliveredRevisions()).containsExactly(4L);
        assertThat(received.get(1).getEventsCount()).isZero();
        assertThat(received.get(1).getHeader().getRevision()).isEqualTo(3);
    }
}
