package io.pgha.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import org.junit.jupiter.api.Test;

/** Transactions: part of {@link KvStoreContract}. */
public abstract class TxnContract extends KvContract {

    static RequestOp putOp(String k, String v) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v))).build();
    }

    static RequestOp getOp(String k) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(k))).build();
    }

    static RequestOp deleteOp(String k) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(k))).build();
    }

    static Compare cmp(String key, Compare.CompareTarget target, Compare.CompareResult result) {
        return Compare.newBuilder().setKey(bs(key)).setTarget(target).setResult(result).build();
    }

    TxnResponse txn(TxnRequest.Builder t) {
        return get(store.txn(t.build()));
    }

    @Test
    public void createIfAbsentIdiomSucceedsOnceAndSharesOneRevision() {
        TxnRequest.Builder t = TxnRequest.newBuilder()
                .addCompare(cmp("leader", Compare.CompareTarget.CREATE, Compare.CompareResult.EQUAL).toBuilder()
                        .setCreateRevision(0))
                .addSuccess(putOp("leader", "n1")).addSuccess(putOp("other", "x")).addFailure(getOp("leader"));
        TxnResponse first = txn(t);
        assertThat(first.getSucceeded()).isTrue();
        assertThat(first.getHeader().getRevision()).isEqualTo(2);
        assertThat(first.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(2);
        assertThat(kv("leader").getModRevision()).isEqualTo(kv("other").getModRevision());
        TxnResponse second = txn(t);
        assertThat(second.getSucceeded()).isFalse();
        assertThat(second.getHeader().getRevision()).isEqualTo(2);
        assertThat(second.getResponses(0).getResponseRange().getKvs(0).getValue()).isEqualTo(bs("n1"));
    }

    @Test
    public void everyCompareTargetAndResultWorks() {
        put("k", "v");
        put("k", "w");
        Compare.Builder c = Compare.newBuilder().setKey(bs("k"));
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.VERSION).setVersion(2))).isTrue();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.CREATE).setCreateRevision(2))).isTrue();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.MOD).setResult(Compare.CompareResult.GREATER)
                .setModRevision(2))).isTrue();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.VALUE).setResult(Compare.CompareResult.LESS)
                .setValue(bs("x")))).isTrue();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.VALUE).setResult(Compare.CompareResult.NOT_EQUAL)
                .setValue(bs("w")))).isFalse();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.LEASE).setLease(0))).isTrue();
    }

    private boolean holds(Compare.Builder c) {
        return txn(TxnRequest.newBuilder().addCompare(c)).getSucceeded();
    }

    @Test
    public void comparesOnMissingKeysUseAnEmptyKeyValueExceptForValue() {
        Compare.Builder c = Compare.newBuilder().setKey(bs("missing"));
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.VERSION).setVersion(0))).isTrue();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.MOD).setModRevision(0))).isTrue();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.VALUE).setValue(ByteString.EMPTY))).isFalse();
        assertThat(holds(c.clone().setTarget(Compare.CompareTarget.VALUE).setResult(Compare.CompareResult.NOT_EQUAL)
                .setValue(bs("x")))).isFalse();
    }

    @Test
    public void rangeCompareRequiresEveryKeyToSatisfy() {
        put("p/a", "1");
        put("p/b", "1");
        Compare.Builder c = Compare.newBuilder().setKey(bs("p/")).setRangeEnd(bs("p0"))
                .setTarget(Compare.CompareTarget.VALUE).setValue(bs("1"));
        assertThat(holds(c)).isTrue();
        put("p/c", "2");
        assertThat(holds(c)).isFalse();
    }

    @Test
    public void readOnlyOrNoOpTxnDoesNotBumpTheRevision() {
        put("a", "1");
        TxnResponse r = txn(TxnRequest.newBuilder().addSuccess(getOp("a")).addSuccess(deleteOp("none")));
        assertThat(r.getHeader().getRevision()).isEqualTo(2);
        assertThat(revision()).isEqualTo(2);
    }

    @Test
    public void readsInsideATxnSeeItsEarlierWrites() {
        TxnResponse r = txn(TxnRequest.newBuilder().addSuccess(getOp("a")).addSuccess(putOp("a", "1"))
                .addSuccess(getOp("a")));
        assertThat(r.getResponses(0).getResponseRange().getHeader().getRevision()).isEqualTo(1);
        assertThat(r.getResponses(0).getResponseRange().getKvsCount()).isZero();
        assertThat(r.getResponses(2).getResponseRange().getKvs(0).getModRevision()).isEqualTo(2);
        assertThat(r.getResponses(2).getResponseRange().getHeader().getRevision()).isEqualTo(2);
        assertThat(r.getResponses(1).getResponsePut().getHeader().getClusterId()).isZero();
    }

    @Test
    public void nestedTxnsRunInBothBranchesAndCompareAgainstTheStateBeforeTheTxn() {
        RequestOp nested = RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                .addCompare(cmp("x", Compare.CompareTarget.VERSION, Compare.CompareResult.EQUAL))
                .addSuccess(putOp("inner", "then")).addFailure(putOp("inner", "else"))).build();
        TxnResponse r = txn(TxnRequest.newBuilder().addSuccess(putOp("x", "1")).addSuccess(nested));
        assertThat(r.getResponses(1).getResponseTxn().getSucceeded()).isTrue();
        assertThat(kv("inner").getValue()).isEqualTo(bs("then"));
        TxnResponse f = txn(TxnRequest.newBuilder().addCompare(cmp("x", Compare.CompareTarget.VERSION,
                Compare.CompareResult.EQUAL)).addFailure(nested));
        assertThat(f.getSucceeded()).isFalse();
        assertThat(f.getResponses(0).getResponseTxn().getSucceeded()).isFalse();
        assertThat(kv("inner").getValue()).isEqualTo(bs("else"));
    }

    @Test
    public void tooManyOpsAndDuplicateKeysAreRejected() {
        TxnRequest.Builder many = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            many.addSuccess(getOp("k" + i));
        }
        assertFails(store.txn(many.build()), EtcdErrors.INVALID_ARGUMENT,
                "etcdserver: too many operations in txn request");
        assertFails(store.txn(TxnRequest.newBuilder().addSuccess(putOp("a", "1")).addSuccess(putOp("a", "2"))
                .build()), EtcdErrors.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertFails(store.txn(TxnRequest.newBuilder().addFailure(deleteOp("a")).addFailure(putOp("a", "2"))
                .build()), EtcdErrors.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        RequestOp nested = RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                .addSuccess(putOp("a", "1")).addFailure(putOp("a", "2"))).build();
        assertThat(get(store.txn(TxnRequest.newBuilder().addSuccess(nested).build())).getSucceeded()).isTrue();
        assertThat(revision()).isEqualTo(2);
    }

    @Test
    public void failingPutInATxnLeavesNoTrace() {
        put("a", "1");
        assertFails(store.txn(TxnRequest.newBuilder().addSuccess(putOp("b", "1")).addSuccess(RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(bs("c")).setLease(777))).build()),
                EtcdErrors.NOT_FOUND, "etcdserver: requested lease not found");
        assertThat(kv("b")).isNull();
        assertThat(revision()).isEqualTo(2);
    }
}
