package io.pgha.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Faults on a 3-member cluster: nothing acknowledged is lost, and calls fail fast when they cannot succeed. */
class RaftFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(RaftFailoverTest.class);
    @TempDir
    Path dir;
    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void start(RaftStoreConfig.LogLimits log) {
        cluster = RaftTestCluster.start(dir, 3, RaftStates.factory(), log);
        cluster.awaitLeader();
    }

    @Test
    void stoppingTheLeaderMidStreamLosesNoAcknowledgedWriteAndWritesResume() throws Exception {
        start(RaftStoreConfig.LogLimits.DEFAULT);
        String leader = cluster.nameOf(cluster.awaitLeader());
        String entry = cluster.running().stream().map(cluster::nameOf).filter(n -> !n.equals(leader)).findFirst()
                .orElseThrow();
        long stoppedAt;
        try (WriteStream writes = new WriteStream(() -> cluster.get(entry))) {
            writes.awaitMoreAcks(30);
            stoppedAt = System.nanoTime();
            cluster.stop(leader);
            writes.awaitMoreAcks(30);
            RatisKvStore newLeader = cluster.awaitLeader();
            LOG.info("failover: first write acknowledged {} ms after the leader stopped; new leader {}",
                    TimeUnit.NANOSECONDS.toMillis(writes.firstAckAfter(stoppedAt) - stoppedAt),
                    cluster.nameOf(newLeader));
            writes.close();
            assertThat(newLeader.node().peerId().toString()).isNotEqualTo(leader);
            assertAllPresent(cluster.get(entry), writes.acked());
        }
    }

    @Test
    void aRestartedFollowerRecoversFromDiskAndCatchesUp() throws Exception {
        start(RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore leader = cluster.awaitLeader();
        String follower = followerOf(leader);
        putAll(leader, 0, 40);
        cluster.stop(follower);
        putAll(leader, 40, 80);

        RatisKvStore restarted = cluster.start(follower);

        Await.until(RaftTestCluster.WAIT, "restarted follower caught up", () -> localKeys(restarted).size() == 80);
        assertThat(restarted.node().stateMachine().snapshotsInstalled()).isZero();
    }

    @Test
    void aWipedFollowerCatchesUpBySnapshotInstall() throws Exception {
        start(new RaftStoreConfig.LogLimits(40, 16 * 1024));
        RatisKvStore leader = cluster.awaitLeader();
        String follower = followerOf(leader);
        cluster.stop(follower);
        cluster.wipe(follower);
        putAll(leader, 0, 300);
        leader.node().client().getSnapshotManagementApi(leader.node().peerId()).create(true, 10_000);
        Await.until(RaftTestCluster.WAIT, "log purged on the leader",
                () -> leader.node().division().getRaftLog().getStartIndex() > 1);

        RatisKvStore wiped = cluster.start(follower);

        Await.until(RaftTestCluster.WAIT, "wiped follower caught up", () -> localKeys(wiped).size() == 300);
        assertThat(wiped.node().stateMachine().snapshotsInstalled()).isPositive();
        assertAllPresent(wiped, localKeys(leader));
    }

    @Test
    void withoutQuorumAWriteFailsUnavailableWithinTheRequestTimeout() {
        start(RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore leader = cluster.awaitLeader();
        RatisKvStore survivor = cluster.get(followerOf(leader));
        cluster.running().stream().map(cluster::nameOf).filter(n -> !n.equals(cluster.nameOf(survivor)))
                .forEach(cluster::stop);

        long start = System.nanoTime();
        assertThatThrownBy(() -> survivor.put(put("lost", "x")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(EtcdErrors.UNAVAILABLE));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("write without quorum failed after {} ms", took.toMillis());
        assertThat(took).isLessThan(RaftTestCluster.FAST.request().plusSeconds(1));
    }

    @Test
    void aWholeClusterRestartRecoversEveryWrite() throws Exception {
        start(new RaftStoreConfig.LogLimits(50, 1024 * 1024));
        putAll(cluster.awaitLeader(), 0, 120);
        List<String> names = cluster.running().stream().map(cluster::nameOf).toList();
        names.forEach(cluster::stop);

        names.forEach(cluster::start);

        RatisKvStore leader = cluster.awaitLeader();
        RangeResponseKeys all = new RangeResponseKeys(leader.range(RangeRequest.newBuilder().setKey(bs("w/"))
                .setRangeEnd(bs("w0")).build()).get(10, TimeUnit.SECONDS).getKvsList());
        assertThat(all.keys()).hasSize(120);
        for (RatisKvStore member : cluster.running()) {
            Await.until(RaftTestCluster.WAIT, "member recovered", () -> localKeys(member).size() == 120);
        }
    }

    private record RangeResponseKeys(List<KeyValue> kvs) {
        List<String> keys() {
            return kvs.stream().map(kv -> kv.getKey().toStringUtf8()).toList();
        }
    }

    private String followerOf(RatisKvStore leader) {
        return cluster.running().stream().map(cluster::nameOf).filter(n -> !n.equals(cluster.nameOf(leader)))
                .findFirst().orElseThrow();
    }

    static void putAll(RatisKvStore store, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            store.put(put(String.format("w/%06d", i), "v".repeat(200))).get(10, TimeUnit.SECONDS);
        }
    }

    static List<String> localKeys(RatisKvStore store) {
        return store.node().state().range(RangeRequest.newBuilder().setKey(bs("w/")).setRangeEnd(bs("w0"))
                .setSerializable(true).build()).getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    static void assertAllPresent(RatisKvStore store, List<String> keys) throws Exception {
        List<String> present = new RangeResponseKeys(store.range(RangeRequest.newBuilder().setKey(bs("w/"))
                .setRangeEnd(bs("w0")).build()).get(10, TimeUnit.SECONDS).getKvsList()).keys();
        assertThat(present).containsAll(keys);
    }

    static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
