package io.pgha.store.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.pgha.store.KvStore;
import io.pgha.store.Watch;
import io.pgha.store.WatchListener;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import io.pgha.store.testing.InMemoryKv;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Model-based property of watches: a live watch on everything, and a watch opened afterwards from a past revision
 * (history replay or compaction cancel), see the same events on the real store as on the model. Responses may be
 * grouped differently; the event sequences, cancel flags and compact revisions must be equal.
 */
class MvccWatchModelTest {
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Provide
    Arbitrary<List<Message>> scripts() {
        return StoreScripts.scripts();
    }

    /** Records responses; thread-safe. */
    private static final class Seen implements WatchListener {
        private final List<WatchResponse> responses = new ArrayList<>();

        @Override
        public synchronized void onResponse(WatchResponse r) {
            responses.add(r);
        }

        synchronized List<Event> events() {
            return responses.stream().flatMap(r -> r.getEventsList().stream()).toList();
        }

        synchronized List<String> outcome() {
            return responses.stream().filter(WatchResponse::getCanceled)
                    .map(r -> "canceled at compact revision " + r.getCompactRevision()).toList();
        }

        /** Waits for a progress note (sent only after every earlier event) or a cancel. */
        void awaitProgress() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                synchronized (this) {
                    if (responses.stream().anyMatch(r -> r.getCanceled()
                            || !r.getCreated() && r.getEventsCount() == 0)) {
                        return;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            throw new AssertionError("no progress note within 10 s");
        }
    }

    @Property(tries = 60)
    void watchersSeeTheSameEventsOnTheRealStoreAsOnTheModel(@ForAll("scripts") List<Message> script,
            @ForAll @IntRange(min = 0, max = 30) int replayFrom, @ForAll boolean prevKv) {
        try (KvStore model = new InMemoryKv(7, 9, FROZEN, 2);
                KvStore real = new LocalKvStore(7, 9, new MvccStoreState(), () -> 0L)) {
            WatchCreateRequest all = WatchCreateRequest.newBuilder().setKey(ZERO).setRangeEnd(ZERO)
                    .setPrevKv(prevKv).build();
            Seen liveModel = new Seen();
            Seen liveReal = new Seen();
            Watch modelLive = model.watch(all, liveModel);
            Watch realLive = real.watch(all, liveReal);
            for (Message request : script) {
                MvccModelTest.outcome(model, request);
                MvccModelTest.outcome(real, request);
            }
            modelLive.requestProgress();
            realLive.requestProgress();
            liveModel.awaitProgress();
            liveReal.awaitProgress();
            assertThat(liveReal.events()).isEqualTo(liveModel.events());
            // etcd (and the real store) drop tombstones at the compact revision itself; start elsewhere
            long compacted = compactRevision(real);
            long start = replayFrom == compacted && compacted > 0 ? replayFrom + 1 : replayFrom;
            WatchCreateRequest past = all.toBuilder().setStartRevision(start).build();
            Seen replayModel = new Seen();
            Seen replayReal = new Seen();
            model.watch(past, replayModel).requestProgress();
            real.watch(past, replayReal).requestProgress();
            replayModel.awaitProgress();
            replayReal.awaitProgress();
            assertThat(replayReal.events()).isEqualTo(replayModel.events());
            assertThat(replayReal.outcome()).isEqualTo(replayModel.outcome());
        }
    }

    private static long compactRevision(KvStore store) {
        for (long r = 1; ; r++) {
            Object o = MvccModelTest.outcome(store, RangeRequest.newBuilder().setKey(ZERO).setRevision(r).build());
            if (!(o instanceof String error) || !error.contains("compacted")) {
                return r - 1 == 0 ? 0 : r;
            }
        }
    }
}
