package io.pgha.store.raft;

import static io.pgha.store.raft.RaftFailoverTest.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseGrantResponse;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Leases across leader changes: only the leader's clock decides, and a new leader restarts every lease fully. */
class RaftLeaseFailoverTest {
    private static final Logger LOG = LoggerFactory.getLogger(RaftLeaseFailoverTest.class);
    @TempDir
    Path dir;
    private RaftTestCluster cluster;
    private final ScheduledExecutorService keepAlives = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() {
        cluster = RaftTestCluster.start(dir, 3, () -> new CountingState(RaftStates.factory().get()),
                RaftStoreConfig.LogLimits.DEFAULT);
    }

    @AfterEach
    void stop() {
        keepAlives.shutdownNow();
        cluster.close();
    }

    @Test
    void aLeaseKeptAliveSurvivesTwoLeaderChanges() throws Exception {
        String first = cluster.nameOf(cluster.awaitLeader());
        RatisKvStore entry = cluster.get(otherThan(first));
        LeaseGrantResponse lease = grantWithKey(entry, 3);
        AtomicInteger renewed = new AtomicInteger();
        AtomicInteger expiredAnswers = new AtomicInteger();
        keepAlives.scheduleWithFixedDelay(() -> entry.leaseKeepAlive(LeaseKeepAliveRequest.newBuilder()
                .setID(lease.getID()).build()).thenAccept(r -> {
                    (r.getTTL() > 0 ? renewed : expiredAnswers).incrementAndGet();
                }), 0, 400, TimeUnit.MILLISECONDS);

        cluster.stop(first);
        String second = cluster.nameOf(cluster.awaitLeader());
        cluster.start(first);
        String third = otherThan(second);
        new RatisStoreCluster(entry).moveLeader(StoreIds.memberId(third)).get(20, TimeUnit.SECONDS);
        Await.until(RaftTestCluster.WAIT, "leadership moved to " + third,
                () -> cluster.nameOf(cluster.awaitLeader()).equals(third));
        int before = renewed.get();
        Await.until(RaftTestCluster.WAIT, "renewals for two more TTLs", () -> renewed.get() >= before + 15);

        assertThat(entry.range(RangeRequest.newBuilder().setKey(bs("lease/k")).build()).get(5, TimeUnit.SECONDS)
                .getKvsCount()).isEqualTo(1);
        assertThat(expiredAnswers).hasValue(0);
        for (RatisKvStore member : cluster.running()) {
            assertThat(((CountingState) member.node().state()).expiries(lease.getID())).isEmpty();
        }
        LOG.info("leaders: {} -> {} -> {}; lease renewed {} times", first, second, third, renewed.get());
    }

    @Test
    void anAbandonedLeaseExpiresOnceAndNotEarlyAcrossALeaderChange() throws Exception {
        String first = cluster.nameOf(cluster.awaitLeader());
        RatisKvStore entry = cluster.get(otherThan(first));
        LeaseGrantResponse lease = grantWithKey(entry, 3);
        long lastKeepAlive = System.nanoTime();
        assertThat(entry.leaseKeepAlive(LeaseKeepAliveRequest.newBuilder().setID(lease.getID()).build())
                .get(5, TimeUnit.SECONDS).getTTL()).isEqualTo(lease.getTTL());

        new RatisStoreCluster(entry).moveLeader(StoreIds.memberId(otherThan(first))).get(20, TimeUnit.SECONDS);
        Await.until(RaftTestCluster.WAIT, "a new leader", () -> !cluster.nameOf(cluster.awaitLeader()).equals(first));

        Await.until(RaftTestCluster.WAIT, "the lease expired on every member", () -> cluster.running().stream()
                .allMatch(m -> !((CountingState) m.node().state()).expiries(lease.getID()).isEmpty()));
        for (RatisKvStore member : cluster.running()) {
            List<CountingState.Expiry> expiries = ((CountingState) member.node().state()).expiries(lease.getID());
            assertThat(expiries).hasSize(1);
            long afterMillis = TimeUnit.NANOSECONDS.toMillis(expiries.get(0).appliedAtNanos() - lastKeepAlive);
            LOG.info("{}: lease expired {} ms after the last keepalive (TTL {} s)", cluster.nameOf(member),
                    afterMillis, lease.getTTL());
            assertThat(afterMillis).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(lease.getTTL()));
        }
        assertThat(entry.range(RangeRequest.newBuilder().setKey(bs("lease/k")).build()).get(5, TimeUnit.SECONDS)
                .getKvsCount()).isZero();
    }

    private LeaseGrantResponse grantWithKey(RatisKvStore store, long ttl) throws Exception {
        LeaseGrantResponse lease = store.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build())
                .get(5, TimeUnit.SECONDS);
        store.put(PutRequest.newBuilder().setKey(bs("lease/k")).setValue(bs("v")).setLease(lease.getID()).build())
                .get(5, TimeUnit.SECONDS);
        return lease;
    }

    private String otherThan(String name) {
        return cluster.running().stream().map(cluster::nameOf).filter(n -> !n.equals(name)).findFirst()
                .orElseThrow();
    }
}
