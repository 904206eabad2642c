package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.stub.StreamObserver;
import io.pgha.store.raft.RatisStoreCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jetcd 0.8.7 against three pgha members while the Raft leader changes. */
class EtcdJetcdLeaderChangeIT {
    private JetcdCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new JetcdCluster();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** A put through any of the given clients, retried while the cluster elects (as an application would). */
    private static long put(List<Client> clients, String key, String value) throws InterruptedException {
        long[] revision = {0};
        JetcdCluster.await("put " + key, () -> {
            for (Client c : clients) {
                try {
                    revision[0] = c.getKVClient().put(b(key), b(value)).get(10, TimeUnit.SECONDS).getHeader()
                            .getRevision();
                    return true;
                } catch (Exception retry) {
                    // no leader yet, or this member is gone: the next one, or again
                }
            }
            return false;
        });
        return revision[0];
    }

    /**
     * The watch is served by the leader (pick_first on the leader's URL); the leader then stops. jetcd resumes the
     * watch on another member from the revision after the last one it saw: every put arrives exactly once, in
     * revision order, before and after the change.
     */
    @Test
    void aWatchResumesOnAnotherMemberWhenTheLeaderStops() throws Exception {
        int leader = cluster.awaitLeader();
        int other = (leader + 1) % 3;
        int third = (leader + 2) % 3;
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        try (Client watching = Client.builder().endpoints(cluster.url(leader), cluster.url(other))
                .loadBalancerPolicy("pick_first").build();
                Client writerA = Client.builder().endpoints(cluster.url(other)).build();
                Client writerB = Client.builder().endpoints(cluster.url(third)).build()) {
            long start = watching.getKVClient().get(b("/w")).get(30, TimeUnit.SECONDS).getHeader().getRevision() + 1;
            try (var watch = watching.getWatchClient().watch(b("/w/"),
                    WatchOption.builder().isPrefix(true).withRevision(start).build(),
                    r -> events.addAll(r.getEvents()))) {
                List<Long> revisions = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    revisions.add(put(List.of(writerA, writerB), "/w/k", "before-" + i));
                }
                List<WatchEvent> seen = take(events, 10);
                cluster.stop(leader);
                for (int i = 0; i < 10; i++) {
                    revisions.add(put(List.of(writerA, writerB), "/w/k", "after-" + i));
                }
                seen.addAll(take(events, 10));
                assertThat(seen.stream().map(e -> e.getKeyValue().getModRevision()).toList())
                        .as("every put once, in order").isEqualTo(revisions);
                assertThat(seen.stream().map(e -> e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))
                        .toList()).startsWith("before-0").endsWith("after-9").doesNotHaveDuplicates();
                assertThat(events.poll(2, TimeUnit.SECONDS)).as("no duplicate after the resume").isNull();
            }
        }
    }

    private static List<WatchEvent> take(BlockingQueue<WatchEvent> events, int n) throws InterruptedException {
        List<WatchEvent> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WatchEvent e = events.poll(60, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", i + 1, n, got).isNotNull();
            got.add(e);
        }
        return got;
    }

    /**
     * A lease kept alive by jetcd survives leadership moving to another member and the old leader stopping: the
     * keep-alive responses continue, the lease and its key outlive several TTLs.
     */
    @Test
    void aLeaseKeptAliveSurvivesLeaderChanges() throws Exception {
        int leader = cluster.awaitLeader();
        int target = (leader + 1) % 3;
        int third = (leader + 2) % 3;
        try (Client client = Client.builder().endpoints(cluster.url(third), cluster.url(target)).build()) {
            long id = client.getLeaseClient().grant(3).get(30, TimeUnit.SECONDS).getID();
            client.getKVClient().put(b("/l/k"), b("v"), PutOption.builder().withLeaseId(id).build())
                    .get(30, TimeUnit.SECONDS);
            BlockingQueue<LeaseKeepAliveResponse> renewals = new LinkedBlockingQueue<>();
            try (var keepAlive = client.getLeaseClient().keepAlive(id, observer(renewals))) {
                assertThat(renewals.poll(30, TimeUnit.SECONDS)).isNotNull();
                new RatisStoreCluster(cluster.store(leader)).moveLeader(cluster.store(target).node().memberId())
                        .get(60, TimeUnit.SECONDS);
                JetcdCluster.await("leadership on the target", () -> cluster.store(target).node().isLeader());
                cluster.stop(leader);
                int newLeader = cluster.awaitLeader();
                assertThat(newLeader).isNotEqualTo(leader);
                renewals.clear();
                // three TTLs of the lease after the changes: it lives only if the keep-alives reach the new leader
                for (int i = 0; i < 9; i++) {
                    assertThat(renewals.poll(30, TimeUnit.SECONDS)).as("keep-alive response %d", i).isNotNull();
                }
                long ttl = client.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT).get(30, TimeUnit.SECONDS)
                        .getTTL();
                assertThat(ttl).as("remaining TTL").isPositive();
                List<KeyValue> kvs = client.getKVClient().get(b("/l/k")).get(30, TimeUnit.SECONDS).getKvs();
                assertThat(kvs).hasSize(1);
            }
        }
    }

    private static StreamObserver<LeaseKeepAliveResponse> observer(BlockingQueue<LeaseKeepAliveResponse> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
