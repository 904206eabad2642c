package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jetcd 0.8.7, a real etcd v3 Java client, against the one client port. */
class EtcdJetcdTest {
    /** Generous: the first call also sets up jetcd's channel, which takes seconds on a loaded 2-CPU machine. */
    private static final long WAIT = 60;
    private ApiFixture api;
    private Client client;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        client = Client.builder().endpoints(api.endpoint()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    private static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void putGetAndPrefix() throws Exception {
        KV kv = client.getKVClient();
        kv.put(b("/j/a"), b("1")).get(WAIT, TimeUnit.SECONDS);
        kv.put(b("/j/b"), b("2")).get(WAIT, TimeUnit.SECONDS);
        GetResponse one = kv.get(b("/j/a")).get(WAIT, TimeUnit.SECONDS);
        assertThat(one.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8)).isEqualTo("1");
        GetResponse all = kv.get(b("/j/"), GetOption.builder().isPrefix(true).build()).get(WAIT, TimeUnit.SECONDS);
        assertThat(all.getCount()).isEqualTo(2);
        assertThat(all.getHeader().getRevision()).isEqualTo(3);
    }

    @Test
    void txnTakesTheBranchOfItsCompare() throws Exception {
        KV kv = client.getKVClient();
        Txn txn = kv.txn().If(new Cmp(b("/j/leader"), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(b("/j/leader"), b("me"), PutOption.DEFAULT))
                .Else(Op.get(b("/j/leader"), GetOption.DEFAULT));
        TxnResponse first = txn.commit().get(WAIT, TimeUnit.SECONDS);
        assertThat(first.isSucceeded()).isTrue();
        TxnResponse second = kv.txn().If(new Cmp(b("/j/leader"), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(b("/j/leader"), b("other"), PutOption.DEFAULT))
                .Else(Op.get(b("/j/leader"), GetOption.DEFAULT)).commit().get(WAIT, TimeUnit.SECONDS);
        assertThat(second.isSucceeded()).isFalse();
        assertThat(second.getGetResponses().get(0).getKvs().get(0).getValue().toString(StandardCharsets.UTF_8))
                .isEqualTo("me");
    }

    @Test
    void watchSeesPutsAndDeletes() throws Exception {
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        // from the next revision: the watch may be created after the writes, history fills the gap
        long next = client.getKVClient().get(b("/j/w")).get(WAIT, TimeUnit.SECONDS).getHeader().getRevision() + 1;
        WatchOption fromNext = WatchOption.builder().isPrefix(true).withRevision(next).build();
        try (var watcher = client.getWatchClient().watch(b("/j/w"), fromNext,
                (WatchResponse r) -> events.addAll(r.getEvents()))) {
            client.getKVClient().put(b("/j/w1"), b("x")).get(WAIT, TimeUnit.SECONDS);
            client.getKVClient().delete(b("/j/w1")).get(WAIT, TimeUnit.SECONDS);
            WatchEvent put = events.poll(WAIT, TimeUnit.SECONDS);
            WatchEvent delete = events.poll(WAIT, TimeUnit.SECONDS);
            assertThat(put).isNotNull();
            assertThat(put.getEventType()).isEqualTo(WatchEvent.EventType.PUT);
            assertThat(delete).isNotNull();
            assertThat(delete.getEventType()).isEqualTo(WatchEvent.EventType.DELETE);
        }
    }

    @Test
    void leaseKeepAliveRenewsAndRevokeDeletesItsKeys() throws Exception {
        long id = client.getLeaseClient().grant(30).get(WAIT, TimeUnit.SECONDS).getID();
        client.getKVClient().put(b("/j/l"), b("v"), PutOption.builder().withLeaseId(id).build())
                .get(WAIT, TimeUnit.SECONDS);
        BlockingQueue<LeaseKeepAliveResponse> renewals = new LinkedBlockingQueue<>();
        try (var keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                renewals.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        })) {
            LeaseKeepAliveResponse renewed = renewals.poll(WAIT, TimeUnit.SECONDS);
            assertThat(renewed).isNotNull();
            assertThat(renewed.getTTL()).isEqualTo(30);
        }
        assertThat(client.getLeaseClient().keepAliveOnce(id).get(WAIT, TimeUnit.SECONDS).getTTL()).isEqualTo(30);
        client.getLeaseClient().revoke(id).get(WAIT, TimeUnit.SECONDS);
        assertThat(client.getKVClient().get(b("/j/l")).get(WAIT, TimeUnit.SECONDS).getCount()).isZero();
    }
}
