package io.pgha.store.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Reads concurrent with apply see whole entries: never half a txn, never a revision going backwards. */
class MvccStoreStateConcurrencyTest {

    private static RequestOp put(String k, String v) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))
                .setValue(ByteString.copyFromUtf8(v))).build();
    }

    @Test
    void readersNeverSeeHalfATxn() throws Exception {
        MvccStoreState state = new MvccStoreState();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<Integer>> checks = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            checks.add(readers.submit(() -> {
                int reads = 0;
                long last = 0;
                RangeRequest both = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("a"))
                        .setRangeEnd(ByteString.copyFromUtf8("c")).build();
                do {
                    RangeResponse resp = state.range(both);
                    assertThat(resp.getHeader().getRevision()).isGreaterThanOrEqualTo(last);
                    last = resp.getHeader().getRevision();
                    if (resp.getKvsCount() > 0) {
                        assertThat(resp.getKvsList()).extracting(KeyValue::getModRevision).containsOnly(last);
                        assertThat(resp.getKvs(0).getValue()).isEqualTo(resp.getKvs(1).getValue());
                    }
                    reads++;
                } while (!done.get());
                return reads;
            }));
        }
        for (int i = 0; i < 5000; i++) {
            state.apply(LogEntry.newBuilder().setTxn(TxnRequest.newBuilder().addSuccess(put("a", "v" + i))
                    .addSuccess(put("b", "v" + i))).build());
        }
        done.set(true);
        for (Future<Integer> f : checks) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
        }
        readers.shutdown();
        assertThat(state.revision()).isEqualTo(5001);
    }
}
