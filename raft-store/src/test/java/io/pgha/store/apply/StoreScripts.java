package io.pgha.store.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseRevokeRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Random request scripts for the model-based properties: a few keys that overlap as prefixes and ranges, three
 * lease IDs, revisions around the current one, txns nested two deep. Requests only, so that one script drives
 * any store.
 */
final class StoreScripts {
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    private StoreScripts() {
    }

    static Arbitrary<List<Message>> scripts() {
        return request().list().ofMinSize(1).ofMaxSize(60);
    }

    static Arbitrary<Message> request() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, put()),
                Tuple.of(2, delete()),
                Tuple.of(4, range()),
                Tuple.of(4, txn(2)),
                Tuple.of(3, grant()),
                Tuple.of(1, Arbitraries.longs().between(1, 4)
                        .map(id -> LeaseRevokeRequest.newBuilder().setID(id).build())),
                Tuple.of(1, Arbitraries.longs().between(1, 8)
                        .map(r -> CompactionRequest.newBuilder().setRevision(r).build())));
    }

    static Arbitrary<ByteString> key() {
        return Arbitraries.of("a", "ab", "abc", "b", "c", "c\u00ff").map(ByteString::copyFromUtf8);
    }

    static Arbitrary<ByteString> rangeEnd() {
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(ByteString.EMPTY)),
                Tuple.of(2, Arbitraries.just(ZERO)), Tuple.of(3, key()));
    }

    static Arbitrary<ByteString> value() {
        return Arbitraries.of("", "x", "y", "zz").map(ByteString::copyFromUtf8);
    }

    static Arbitrary<PutRequest> put() {
        Arbitrary<Long> lease = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(1, 3)), Tuple.of(1, Arbitraries.just(4L)));
        Arbitrary<Integer> flags = Arbitraries.integers().between(0, 63);
        return Combinators.combine(key(), value(), lease, flags).as((k, v, l, f) -> {
            boolean ignoreValue = (f & 14) == 14;
            boolean ignoreLease = (f & 26) == 26;
            // mostly well-formed: a value or lease alongside ignore_* only sometimes, to hit etcd's errors
            boolean malformed = (f & 32) != 0 && (f & 4) != 0;
            return PutRequest.newBuilder().setKey(k).setPrevKv((f & 1) != 0)
                    .setValue(ignoreValue && !malformed ? ByteString.EMPTY : v)
                    .setLease(ignoreLease && !malformed ? 0 : l)
                    .setIgnoreValue(ignoreValue).setIgnoreLease(ignoreLease).build();
        });
    }

    static Arbitrary<DeleteRangeRequest> delete() {
        return Combinators.combine(key(), rangeEnd(), Arbitraries.of(true, false)).as((k, e, p) ->
                DeleteRangeRequest.newBuilder().setKey(k).setRangeEnd(e).setPrevKv(p).build());
    }

    static Arbitrary<RangeRequest> range() {
        Arbitrary<Long> rev = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.longs().between(1, 14)));
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 1 << 12);
        return Combinators.combine(key(), rangeEnd(), rev, shape).as((k, e, r, s) -> RangeRequest.newBuilder()
                .setKey(k).setRangeEnd(e).setRevision(r).setLimit(s % 4)
                .setSortOrderValue(s / 4 % 3).setSortTargetValue(s / 12 % 5)
                .setKeysOnly((s & 64) != 0).setCountOnly((s & 0x700) == 0x700)
                .setMinModRevision((s & 128) != 0 ? s % 7 : 0).setMaxCreateRevision((s & 256) != 0 ? s % 9 : 0)
                .build());
    }

    static Arbitrary<LeaseGrantRequest> grant() {
        return Combinators.combine(Arbitraries.longs().between(1, 3), Arbitraries.of(1L, 5L, 1L, 5L, 9_000_000_001L))
                .as((id, ttl) -> LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build());
    }

    static Arbitrary<Compare> compare() {
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 19);
        Arbitrary<Long> number = Arbitraries.longs().between(0, 8);
        return Combinators.combine(key(), rangeEnd(), shape, number, value()).as((k, e, s, n, v) -> {
            Compare.Builder c = Compare.newBuilder().setKey(k).setRangeEnd(e).setResultValue(s % 4)
                    .setTargetValue(s / 4);
            switch (c.getTarget()) {
                case VERSION -> c.setVersion(n % 4);
                case CREATE -> c.setCreateRevision(n);
                case MOD -> c.setModRevision(n);
                case VALUE -> c.setValue(v);
                default -> c.setLease(n % 4);
            }
            return c.build();
        });
    }

    static Arbitrary<TxnRequest> txn(int depth) {
        List<Tuple2<Integer, Arbitrary<? extends RequestOp>>> ops = new ArrayList<>(List.of(
                Tuple.of(3, range().map(r -> RequestOp.newBuilder().setRequestRange(r).build())),
                Tuple.of(4, put().map(p -> RequestOp.newBuilder().setRequestPut(p).build())),
                Tuple.of(2, delete().map(d -> RequestOp.newBuilder().setRequestDeleteRange(d).build()))));
        if (depth > 0) {
            ops.add(Tuple.of(1, Arbitraries.lazy(() -> txn(depth - 1))
                    .map(t -> RequestOp.newBuilder().setRequestTxn(t).build())));
        }
        Arbitrary<RequestOp> op = Arbitraries.frequencyOf(ops.toArray(Tuple2[]::new));
        return Combinators.combine(compare().list().ofMaxSize(2), op.list().ofMaxSize(3), op.list().ofMaxSize(3))
                .as((c, s, f) -> TxnRequest.newBuilder().addAllCompare(c).addAllSuccess(s).addAllFailure(f).build());
    }
}
