package io.pgha.store.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.CompactionRequest;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import org.junit.jupiter.api.Test;

/** Revisions, ranges, puts, deletes and compaction: part of {@link KvStoreContract}. */
public abstract class KvContract extends ContractSupport {

    @Test
    public void emptyStoreIsAtRevisionOne() {
        RangeResponse r = range(RangeRequest.newBuilder().setKey(bs("a")));
        assertThat(r.getHeader().getRevision()).isEqualTo(1);
        assertThat(r.getKvsList()).isEmpty();
        assertThat(r.getCount()).isZero();
    }

    @Test
    public void eachPutBumpsTheRevisionAndTracksVersions() {
        assertThat(put("a", "1").getHeader().getRevision()).isEqualTo(2);
        assertThat(put("a", "2").getHeader().getRevision()).isEqualTo(3);
        KeyValue a = kv("a");
        assertThat(a.getCreateRevision()).isEqualTo(2);
        assertThat(a.getModRevision()).isEqualTo(3);
        assertThat(a.getVersion()).isEqualTo(2);
        assertThat(a.getValue().toStringUtf8()).isEqualTo("2");
    }

    @Test
    public void recreatedKeyStartsANewGeneration() {
        put("a", "1");
        assertThat(delete("a")).isEqualTo(1);
        put("a", "2");
        KeyValue a = kv("a");
        assertThat(a.getCreateRevision()).isEqualTo(4);
        assertThat(a.getVersion()).isEqualTo(1);
    }

    @Test
    public void deleteOfNothingDoesNotBumpTheRevision() {
        put("a", "1");
        DeleteRangeResponse r = get(store.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("zz")).build()));
        assertThat(r.getDeleted()).isZero();
        assertThat(r.getHeader().getRevision()).isEqualTo(2);
    }

    @Test
    public void deleteRangeReturnsPreviousValuesInOneRevision() {
        put("a/1", "x");
        put("a/2", "y");
        put("b", "z");
        DeleteRangeResponse r = get(store.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("a/"))
                .setRangeEnd(bs("a0")).setPrevKv(true).build()));
        assertThat(r.getDeleted()).isEqualTo(2);
        assertThat(r.getHeader().getRevision()).isEqualTo(5);
        assertThat(r.getPrevKvsList()).extracting(kv -> kv.getValue().toStringUtf8()).containsExactly("x", "y");
        assertThat(kv("b")).isNotNull();
    }

    @Test
    public void readsAtAPastRevisionSeeThatRevision() {
        put("a", "1");
        put("a", "2");
        delete("a");
        assertThat(range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(2)).getKvs(0).getValue())
                .isEqualTo(bs("1"));
        RangeResponse atDelete = range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(4));
        assertThat(atDelete.getKvsList()).isEmpty();
        assertThat(atDelete.getHeader().getRevision()).isEqualTo(4);
        assertFails(store.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(5).build()),
                EtcdErrors.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    public void emptyKeyIsRejected() {
        assertFails(store.put(PutRequest.newBuilder().setValue(bs("v")).build()), EtcdErrors.INVALID_ARGUMENT,
                "etcdserver: key is not provided");
        assertFails(store.range(RangeRequest.getDefaultInstance()), EtcdErrors.INVALID_ARGUMENT,
                "etcdserver: key is not provided");
        assertFails(store.deleteRange(DeleteRangeRequest.getDefaultInstance()), EtcdErrors.INVALID_ARGUMENT,
                "etcdserver: key is not provided");
    }

    @Test
    public void rangeCoversPrefixesOpenEndsAndEverything() {
        for (String k : new String[] {"a", "ab", "abc", "b", "c"}) {
            put(k, k);
        }
        assertThat(keys(range(RangeRequest.newBuilder().setKey(bs("ab")).setRangeEnd(bs("ac")))))
                .containsExactly("ab", "abc");
        assertThat(keys(range(RangeRequest.newBuilder().setKey(bs("ab")).setRangeEnd(bs("\0")))))
                .containsExactly("ab", "abc", "b", "c");
        assertThat(keys(range(RangeRequest.newBuilder().setKey(bs("\0")).setRangeEnd(bs("\0")))))
                .containsExactly("a", "ab", "abc", "b", "c");
        assertThat(keys(range(RangeRequest.newBuilder().setKey(bs("ab"))))).containsExactly("ab");
    }

    @Test
    public void limitSetsMoreAndCountIgnoresLimit() {
        for (String k : new String[] {"k1", "k2", "k3"}) {
            put(k, k);
        }
        RangeResponse r = range(RangeRequest.newBuilder().setKey(bs("k")).setRangeEnd(bs("l")).setLimit(2));
        assertThat(keys(r)).containsExactly("k1", "k2");
        assertThat(r.getMore()).isTrue();
        assertThat(r.getCount()).isEqualTo(3);
        RangeResponse all = range(RangeRequest.newBuilder().setKey(bs("k")).setRangeEnd(bs("l")).setLimit(3));
        assertThat(all.getMore()).isFalse();
    }

    @Test
    public void sortsByTargetAndDefaultsToAscendForNonKeyTargets() {
        put("a", "3");
        put("b", "1");
        put("c", "2");
        put("b", "1b");
        RangeRequest.Builder all = RangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("z"));
        assertThat(keys(range(all.clone().setSortTarget(RangeRequest.SortTarget.VALUE))))
                .containsExactly("b", "c", "a");
        assertThat(keys(range(all.clone().setSortTarget(RangeRequest.SortTarget.MOD)
                .setSortOrder(RangeRequest.SortOrder.DESCEND)))).containsExactly("b", "c", "a");
        assertThat(keys(range(all.clone().setSortOrder(RangeRequest.SortOrder.DESCEND))))
                .containsExactly("c", "b", "a");
        assertThat(keys(range(all.clone().setSortTarget(RangeRequest.SortTarget.VERSION)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(1)))).containsExactly("b");
    }

    @Test
    public void keysOnlyCountOnlyAndRevisionFilters() {
        put("a", "1");
        put("b", "2");
        put("c", "3");
        RangeRequest.Builder all = RangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("z"));
        assertThat(range(all.clone().setKeysOnly(true)).getKvsList()).allMatch(kv -> kv.getValue().isEmpty())
                .hasSize(3);
        RangeResponse counted = range(all.clone().setCountOnly(true));
        assertThat(counted.getKvsList()).isEmpty();
        assertThat(counted.getCount()).isEqualTo(3);
        RangeResponse filtered = range(all.clone().setMinModRevision(3).setMaxCreateRevision(3));
        assertThat(keys(filtered)).containsExactly("b");
        assertThat(filtered.getCount()).isEqualTo(3);
    }

    @Test
    public void putReturnsPrevKvAndCanKeepValueOrLease() {
        put("a", "1");
        PutResponse r = get(store.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("2")).setPrevKv(true)
                .build()));
        assertThat(r.getPrevKv().getValue()).isEqualTo(bs("1"));
        get(store.put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).build()));
        assertThat(kv("a").getValue()).isEqualTo(bs("2"));
        assertThat(kv("a").getVersion()).isEqualTo(3);
        assertThat(get(store.put(PutRequest.newBuilder().setKey(bs("new")).setValue(bs("v")).setPrevKv(true)
                .build())).hasPrevKv()).isFalse();
    }

    @Test
    public void ignoreValueAndIgnoreLeaseFollowEtcdsChecks() {
        assertFails(store.put(PutRequest.newBuilder().setKey(bs("none")).setIgnoreValue(true).build()),
                EtcdErrors.INVALID_ARGUMENT, "etcdserver: key not found");
        put("a", "1");
        assertFails(store.put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).setValue(bs("x")).build()),
                EtcdErrors.INVALID_ARGUMENT, "etcdserver: value is provided");
        assertFails(store.put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreLease(true).setLease(5).build()),
                EtcdErrors.INVALID_ARGUMENT, "etcdserver: lease is provided");
        assertFails(store.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("v")).setLease(12345).build()),
                EtcdErrors.NOT_FOUND, "etcdserver: requested lease not found");
        assertThat(revision()).isEqualTo(2);
    }

    @Test
    public void compactionForbidsOlderReadsButKeepsLiveKeys() {
        put("a", "1");
        put("b", "1");
        put("a", "2");
        delete("b");
        get(store.compact(CompactionRequest.newBuilder().setRevision(4).build()));
        assertFails(store.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(3).build()),
                EtcdErrors.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
        assertThat(range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(4)).getKvs(0).getValue())
                .isEqualTo(bs("2"));
        assertThat(range(RangeRequest.newBuilder().setKey(bs("b")).setRevision(4)).getKvsCount()).isEqualTo(1);
        assertThat(kv("a").getCreateRevision()).isEqualTo(2);
        assertThat(revision()).isEqualTo(5);
    }

    @Test
    public void compactionRejectsOldAndFutureRevisions() {
        put("a", "1");
        put("a", "2");
        get(store.compact(CompactionRequest.newBuilder().setRevision(2).build()));
        assertFails(store.compact(CompactionRequest.newBuilder().setRevision(2).build()), EtcdErrors.OUT_OF_RANGE,
                "etcdserver: mvcc: required revision has been compacted");
        assertFails(store.compact(CompactionRequest.newBuilder().setRevision(9).build()), EtcdErrors.OUT_OF_RANGE,
                "etcdserver: mvcc: required revision is a future revision");
    }
}
