package io.pgha.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.store.Watch;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.proto.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link io.pgha.store.KvStore} shows: etcd v3 revisions, ranges, txns, leases and watches.
 * Subclass it with {@link #newStore()} and {@link #advanceTime}; it assumes nothing about threads and awaits
 * asynchronous outcomes with deadlines. The tests are spread over a chain of abstract classes ({@link KvContract},
 * {@link TxnContract}, {@link LeaseContract}) only to keep files small; this class adds the watch behaviour.
 */
public abstract class KvStoreContract extends LeaseContract {
    private static final int WRITE_WINDOW = 50;

    Watch watch(WatchCreateRequest.Builder r, Recorder rec) {
        return store.watch(r.build(), rec);
    }

    @Test
    public void watchStartsWithCreatedAtTheCurrentRevisionThenSeesLiveEvents() {
        put("a", "1");
        Recorder rec = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("a")), rec);
        await("created", () -> !rec.all().isEmpty());
        WatchResponse created = rec.all().get(0);
        assertThat(created.getCreated()).isTrue();
        assertThat(created.getHeader().getRevision()).isEqualTo(2);
        assertThat(created.getWatchId()).isZero();
        put("a", "2");
        put("b", "x");
        delete("a");
        rec.awaitEvents(2);
        List<Event> events = rec.events();
        assertThat(events).extracting(Event::getType).containsExactly(Event.EventType.PUT, Event.EventType.DELETE);
        assertThat(events.get(0).getKv().getModRevision()).isEqualTo(3);
        assertThat(events.get(0).hasPrevKv()).isFalse();
        assertThat(events.get(1).getKv()).isEqualTo(io.pgha.store.proto.KeyValue.newBuilder().setKey(bs("a"))
                .setModRevision(5).build());
    }

    @Test
    public void watchFromAPastRevisionReplaysHistoryFirst() {
        put("a", "1");
        put("a", "2");
        delete("a");
        Recorder rec = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("a")).setStartRevision(3).setPrevKv(true), rec);
        put("a", "3");
        rec.awaitEvents(3);
        List<Event> events = rec.events();
        assertThat(events).extracting(e -> e.getKv().getModRevision()).containsExactly(3L, 4L, 5L);
        assertThat(events.get(0).getPrevKv().getValue()).isEqualTo(bs("1"));
        assertThat(events.get(1).getType()).isEqualTo(Event.EventType.DELETE);
        assertThat(events.get(1).getPrevKv().getValue()).isEqualTo(bs("2"));
        assertThat(events.get(2).hasPrevKv()).isFalse();
    }

    @Test
    public void watchOnAPrefixWithFiltersSkipsFilteredEvents() {
        Recorder noPut = new Recorder();
        Recorder noDelete = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("p/")).setRangeEnd(bs("p0"))
                .addFilters(WatchCreateRequest.FilterType.NOPUT), noPut);
        watch(WatchCreateRequest.newBuilder().setKey(bs("p/")).setRangeEnd(bs("p0"))
                .addFilters(WatchCreateRequest.FilterType.NODELETE), noDelete);
        put("p/1", "x");
        put("q", "x");
        delete("p/1");
        put("p/2", "y");
        noPut.awaitEvents(1);
        noDelete.awaitEvents(2);
        assertThat(noPut.events()).extracting(e -> e.getKv().getModRevision()).containsExactly(4L);
        assertThat(noDelete.events()).extracting(e -> e.getKv().getKey().toStringUtf8()).containsExactly("p/1", "p/2");
    }

    @Test
    public void progressRequestAnswersWithTheCurrentRevisionAndNoEvents() {
        Recorder rec = new Recorder();
        Watch w = watch(WatchCreateRequest.newBuilder().setKey(bs("a")), rec);
        put("b", "1");
        put("b", "2");
        w.requestProgress();
        await("progress", () -> rec.all().stream().anyMatch(r -> !r.getCreated() && r.getEventsCount() == 0));
        WatchResponse progress = rec.all().get(rec.all().size() - 1);
        assertThat(progress.getHeader().getRevision()).isEqualTo(3);
        assertThat(progress.getCanceled()).isFalse();
    }

    @Test
    public void watchBelowTheCompactedRevisionIsCreatedThenCanceled() {
        put("a", "1");
        put("a", "2");
        put("a", "3");
        get(store.compact(CompactionRequest.newBuilder().setRevision(3).build()));
        Recorder rec = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("a")).setStartRevision(2), rec);
        await("canceled", () -> rec.all().size() >= 2);
        assertThat(rec.all().get(0).getCreated()).isTrue();
        assertThat(rec.all().get(1).getCanceled()).isTrue();
        assertThat(rec.all().get(1).getCompactRevision()).isEqualTo(3);
    }

    @Test
    public void cancelledWatchReceivesNothingMore() {
        Recorder cancelled = new Recorder();
        Recorder witness = new Recorder();
        Watch w = watch(WatchCreateRequest.newBuilder().setKey(bs("a")), cancelled);
        await("created", () -> !cancelled.all().isEmpty());
        w.cancel();
        watch(WatchCreateRequest.newBuilder().setKey(bs("a")), witness);
        put("a", "1");
        witness.awaitEvents(1);
        assertThat(cancelled.events()).isEmpty();
    }

    @Test
    public void slowWatcherNeverBlocksWritesAndSeesAGaplessPrefixOrACancel() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Recorder slow = new Recorder().onEach(r -> {
            try {
                release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watch(WatchCreateRequest.newBuilder().setKey(bs("k")), slow);
        int writes = 3000;
        // In windows of concurrent puts: the order of revisions is the store's, and a replicated store spends its
        // time in round trips, so one put at a time made this the slowest test of the suite.
        for (int i = 0; i < writes; i += WRITE_WINDOW) {
            List<CompletableFuture<PutResponse>> window = new ArrayList<>();
            for (int j = i; j < Math.min(writes, i + WRITE_WINDOW); j++) {
                window.add(store.put(PutRequest.newBuilder().setKey(bs("k")).setValue(bs(Integer.toString(j)))
                        .build()));
            }
            window.forEach(ContractSupport::get);
        }
        assertThat(revision()).isEqualTo(writes + 1);
        release.countDown();
        await("all events or a cancel", () -> slow.events().size() == writes
                || slow.all().stream().anyMatch(WatchResponse::getCanceled));
        List<Event> events = slow.events();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getKv().getModRevision()).isEqualTo(i + 2);
        }
    }

    @Test
    public void txnWritesReachWatchersAsOneRevisionInWriteOrder() {
        put("w/a", "0");
        Recorder rec = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("w/")).setRangeEnd(bs("w0")), rec);
        await("created", () -> !rec.all().isEmpty());
        get(store.txn(io.pgha.store.proto.TxnRequest.newBuilder().addSuccess(TxnContract.putOp("w/c", "1"))
                .addSuccess(TxnContract.deleteOp("w/a")).addSuccess(TxnContract.putOp("w/b", "1")).build()));
        rec.awaitEvents(3);
        assertThat(rec.events()).extracting(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8() + "@"
                + e.getKv().getModRevision()).containsExactly("PUT w/c@3", "DELETE w/a@3", "PUT w/b@3");
    }

    @Test
    public void leaseRevokeReachesWatchersAsDeletesInOneRevision() {
        long id = grant(60);
        put("l/1", "x", id);
        put("l/2", "x", id);
        Recorder rec = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("l/")).setRangeEnd(bs("l0")).setPrevKv(true), rec);
        await("created", () -> !rec.all().isEmpty());
        get(store.leaseRevoke(io.pgha.store.proto.LeaseRevokeRequest.newBuilder().setID(id).build()));
        rec.awaitEvents(2);
        assertThat(rec.events()).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo(Event.EventType.DELETE);
            assertThat(e.getKv().getModRevision()).isEqualTo(4);
            assertThat(e.getPrevKv().getLease()).isEqualTo(id);
        });
    }

    @Test
    public void watchOnAnEmptyRangeIsCreatedThenCanceledWithEtcdsReason() {
        Recorder rec = new Recorder();
        watch(WatchCreateRequest.newBuilder().setKey(bs("b")).setRangeEnd(bs("a")), rec);
        await("canceled", () -> rec.all().size() >= 2);
        assertThat(rec.all().get(0).getCreated()).isTrue();
        assertThat(rec.all().get(1).getCanceled()).isTrue();
        assertThat(rec.all().get(1).getCancelReason()).isEqualTo("mvcc: watcher range is empty");
    }
}
