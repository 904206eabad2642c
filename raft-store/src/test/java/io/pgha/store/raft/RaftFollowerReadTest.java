package io.pgha.store.raft;

import static io.pgha.store.raft.RaftFailoverTest.bs;
import static io.pgha.store.raft.RaftFailoverTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.StoreQuery;
import io.pgha.store.proto.StoreQueryReply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftClientReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linearizable reads on a follower: Ratis' own ReadIndex read on the follower (no fallback to the leader) must
 * see every write acknowledged before it. Latencies are logged (median and max) for comparison, not asserted.
 */
class RaftFollowerReadTest {
    private static final Logger LOG = LoggerFactory.getLogger(RaftFollowerReadTest.class);
    private static final int ROUNDS = 40;
    @TempDir
    Path dir;
    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFollowersOwnReadIndexReadSeesTheWriteJustAcknowledged() throws Exception {
        cluster = RaftTestCluster.start(dir, 3, RaftStates.factory(), RaftStoreConfig.LogLimits.DEFAULT);
        RatisKvStore leader = cluster.awaitLeader();
        RatisKvStore follower = cluster.running().stream().filter(s -> s != leader).findFirst().orElseThrow();
        leader.put(put("warm", "up")).get(30, TimeUnit.SECONDS);
        List<Long> afterWrite = new ArrayList<>();
        List<Long> idle = new ArrayList<>();
        List<Long> store = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String value = "v" + i;
            leader.put(put("k", value)).get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            assertThat(readLocally(follower)).isEqualTo(value);
            afterWrite.add(System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(readLocally(follower)).isEqualTo(value);
            idle.add(System.nanoTime() - start);
            start = System.nanoTime();
            assertThat(follower.range(RangeRequest.newBuilder().setKey(bs("k")).build()).get(30, TimeUnit.SECONDS)
                    .getKvs(0).getValue().toStringUtf8()).isEqualTo(value);
            store.add(System.nanoTime() - start);
        }
        LOG.info("follower ReadIndex read, ms (median / max of {}): right after a write {}, idle {}, "
                + "through RatisKvStore.range {}", ROUNDS, figures(afterWrite), figures(idle), figures(store));
    }

    private static String readLocally(RatisKvStore follower) throws Exception {
        StoreQuery query = StoreQuery.newBuilder().setRange(RangeRequest.newBuilder().setKey(bs("k"))).build();
        RaftClientReply reply = follower.node().readLocally(EtcdStateMachine.toMessage(query.toByteArray()), 30_000)
                .get(30, TimeUnit.SECONDS);
        assertThat(reply.isSuccess()).as("%s", reply.getException()).isTrue();
        StoreQueryReply parsed = StoreQueryReply.parseFrom(reply.getMessage().getContent().toByteArray());
        return parsed.getRange().getKvs(0).getValue().toStringUtf8();
    }

    private static String figures(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format("%.1f / %.1f", sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
    }
}
