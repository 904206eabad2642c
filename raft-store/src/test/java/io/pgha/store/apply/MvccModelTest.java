package io.pgha.store.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.pgha.store.KvStore;
import io.pgha.store.StoreException;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.testing.InMemoryKv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * Model-based properties: the real store (MvccStoreState through LocalKvStore) answers every random script exactly
 * as the reference model InMemoryKv, headers included; and a snapshot taken anywhere restores a state that answers
 * the rest of the script exactly as the original.
 */
class MvccModelTest {
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Provide
    Arbitrary<List<Message>> scripts() {
        return StoreScripts.scripts();
    }

    @Property(tries = 200)
    void realStoreAnswersEveryScriptAsTheModel(@ForAll("scripts") List<Message> script) {
        try (KvStore model = new InMemoryKv(7, 9, FROZEN, 2);
                KvStore real = new LocalKvStore(7, 9, new MvccStoreState(), () -> 0L)) {
            for (Message request : script) {
                Object expected = outcome(model, request);
                assertThat(outcome(real, request)).as("answer to %s", request).isEqualTo(expected);
                Statistics.label("outcomes").collect(request.getClass().getSimpleName() + " -> "
                        + (expected instanceof String error ? error : kind(expected)));
            }
            RangeRequest everything = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                    .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build();
            assertThat(outcome(real, everything)).isEqualTo(outcome(model, everything));
            for (long id = 1; id <= 3; id++) {
                LeaseTimeToLiveRequest ttl = LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build();
                assertThat(unwrap(real.leaseTimeToLive(ttl))).isEqualTo(unwrap(model.leaseTimeToLive(ttl)));
            }
        }
    }

    private static String kind(Object response) {
        if (response instanceof io.pgha.store.proto.TxnResponse t) {
            return t.getSucceeded() ? "succeeded" : "failed";
        }
        if (response instanceof io.pgha.store.proto.RangeResponse r) {
            return r.getKvsCount() > 0 ? "found" : "empty";
        }
        return "ok";
    }

    /** The response, or "code: message" of the error, so that errors compare as exactly as responses. */
    static Object outcome(KvStore store, Message request) {
        if (request instanceof PutRequest r) {
            return unwrap(store.put(r));
        } else if (request instanceof DeleteRangeRequest r) {
            return unwrap(store.deleteRange(r));
        } else if (request instanceof RangeRequest r) {
            return unwrap(store.range(r));
        } else if (request instanceof TxnRequest r) {
            return unwrap(store.txn(r));
        } else if (request instanceof LeaseGrantRequest r) {
            return unwrap(store.leaseGrant(r));
        } else if (request instanceof LeaseRevokeRequest r) {
            return unwrap(store.leaseRevoke(r));
        } else if (request instanceof CompactionRequest r) {
            return unwrap(store.compact(r));
        }
        throw new IllegalArgumentException("no such request: " + request);
    }

    static Object unwrap(CompletableFuture<?> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException s) {
                return s.code() + ": " + s.getMessage();
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Property(tries = 100)
    void snapshotAnywhereRestoresAStateThatAnswersTheRestIdentically(@ForAll("scripts") List<Message> script,
            @ForAll @IntRange(min = 0, max = 40) int cut) throws IOException {
        MvccStoreState original = new MvccStoreState();
        int at = Math.min(cut, script.size());
        for (Message request : script.subList(0, at)) {
            answer(original, request);
        }
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        original.writeSnapshot(snapshot);
        MvccStoreState restored = new MvccStoreState();
        restored.readSnapshot(new ByteArrayInputStream(snapshot.toByteArray()));
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        restored.writeSnapshot(again);
        assertThat(again.toByteArray()).isEqualTo(snapshot.toByteArray());
        assertThat(restored.leaseTtls()).isEqualTo(original.leaseTtls());
        for (Message request : script.subList(at, script.size())) {
            assertThat(answer(restored, request)).as("answer to %s", request).isEqualTo(answer(original, request));
        }
    }

    static Object answer(StoreState state, Message request) {
        LogEntry.Builder e = LogEntry.newBuilder();
        if (request instanceof RangeRequest r) {
            try {
                return state.range(r);
            } catch (StoreException s) {
                return s.toProto();
            }
        } else if (request instanceof PutRequest r) {
            e.setPut(r);
        } else if (request instanceof DeleteRangeRequest r) {
            e.setDeleteRange(r);
        } else if (request instanceof TxnRequest r) {
            e.setTxn(r);
        } else if (request instanceof LeaseGrantRequest r) {
            e.setLeaseGrant(r);
        } else if (request instanceof LeaseRevokeRequest r) {
            e.setLeaseRevoke(r);
        } else if (request instanceof CompactionRequest r) {
            e.setCompaction(r);
        }
        return state.apply(e.build());
    }
}
