package io.pgha.core.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import io.pgha.store.Watch;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.WatchCreateRequest;
import io.pgha.store.testing.InMemoryKv;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link DefaultDcs} against the store's reference model, with a clock the test moves to expire leases. */
class DefaultDcsTest {
    private final MovableClock clock = new MovableClock();
    private final InMemoryKv kv = new InMemoryKv(1, 1, clock, 2);
    private final DefaultDcs a = new DefaultDcs(kv, "demo", "a", Duration.ofSeconds(30), Duration.ofSeconds(5));
    private final DefaultDcs b = new DefaultDcs(kv, "demo", "b", Duration.ofSeconds(30), Duration.ofSeconds(5));

    @Test
    void onlyOneMemberWinsTheInitializeRaceAndOnlyItRecordsTheSystemId() {
        assertThat(a.readClusterView().initialize()).isEmpty();
        assertThat(a.tryInitialize(InitializeKey.claimedBy("a").value())).isTrue();
        assertThat(b.tryInitialize(InitializeKey.claimedBy("b").value())).isFalse();
        assertThat(b.recordSystemId("666")).isFalse();
        assertThat(a.readClusterView().initialize().flatMap(InitializeKey::claimant)).contains("a");
        assertThat(a.recordSystemId("7300")).isTrue();
        ClusterView view = b.readClusterView();
        assertThat(view.isInitialized()).isTrue();
        assertThat(view.initialize().flatMap(InitializeKey::systemIdentifier)).contains("7300");
    }

    @Test
    void theLeaderKeyIsExclusiveRenewableAndExpiresWithItsLease() {
        assertThat(a.tryAcquireLeader()).isTrue();
        assertThat(b.tryAcquireLeader()).isFalse();
        long modRevision = a.readClusterView().leader().orElseThrow().modRevision();
        clock.advance(Duration.ofSeconds(20));
        assertThat(a.renewLeader()).isTrue();
        assertThat(b.readClusterView().leader().orElseThrow().modRevision()).as("a renewal is visible to the others")
                .isGreaterThan(modRevision);
        assertThat(b.renewLeader()).isFalse();
        clock.advance(Duration.ofSeconds(20));
        assertThat(b.readClusterView().leader()).as("renewed 20 s ago, ttl 30 s").isPresent();
        clock.advance(Duration.ofSeconds(31));
        assertThat(b.readClusterView().leader()).isEmpty();
        assertThat(a.renewLeader()).as("a lapsed lease cannot be renewed: demote").isFalse();
        assertThat(b.tryAcquireLeader()).isTrue();
        assertThat(a.readClusterView().leader().map(LeaderKey::name)).contains("b");
    }

    @Test
    void aSilentLeaderKeyIsTakenOverOnlyAtTheRevisionThatWasJudgedSilent() {
        assertThat(a.tryAcquireLeader()).isTrue();
        LeaderKey judged = b.readClusterView().leader().orElseThrow();
        assertThat(b.grantedTtlSeconds(judged.leaseId())).isEqualTo(30);
        assertThat(a.renewLeader()).isTrue();
        assertThat(b.takeOverSilentLeader(judged)).as("renewed since it was judged").isFalse();
        LeaderKey stale = b.readClusterView().leader().orElseThrow();
        assertThat(b.takeOverSilentLeader(stale)).isTrue();
        assertThat(a.readClusterView().leader().map(LeaderKey::name)).contains("b");
        assertThat(a.renewLeader()).as("the old holder finds the key gone: demote").isFalse();
        clock.advance(Duration.ofSeconds(25));
        assertThat(b.renewLeader()).isTrue();
        clock.advance(Duration.ofSeconds(25));
        assertThat(a.readClusterView().leader().map(LeaderKey::name)).as("a's lapsed lease does not take b's key")
                .contains("b");
    }

    @Test
    void onlyTheLeaderKeyHolderWritesTheSyncKeyInPatronisShape() {
        assertThat(a.writeSync(java.util.Set.of("b"))).as("no leader key yet").isFalse();
        assertThat(a.tryAcquireLeader()).isTrue();
        assertThat(a.writeSync(java.util.Set.of("c", "b"))).isTrue();
        assertThat(b.writeSync(java.util.Set.of())).as("b does not hold the leader key").isFalse();
        assertThat(b.readClusterView().sync()).isEqualTo(new SyncState("a", java.util.Set.of("b", "c")));
        assertThat(DcsJson.sync(new SyncState("a", java.util.Set.of("c", "b"))))
                .isEqualTo("{\"leader\":\"a\",\"sync_standby\":\"b,c\"}");
    }

    @Test
    void aWitnessKeyIsLeasedAndIsNoMember() {
        DefaultDcs w = new DefaultDcs(kv, "demo", "w", Duration.ofSeconds(30), Duration.ofSeconds(5));
        w.publishWitness();
        assertThat(a.readWitnesses()).containsExactly("w");
        assertThat(a.readClusterView().members()).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(a.readWitnesses()).isEmpty();
    }

    @Test
    void releaseOnlyDeletesOurOwnKey() {
        assertThat(a.tryAcquireLeader()).isTrue();
        assertThat(b.releaseLeader()).isFalse();
        assertThat(a.releaseLeader()).isTrue();
        assertThat(b.readClusterView().leader()).isEmpty();
    }

    @Test
    void membersAreLeasedAndReadBackAsTheyWerePublished() {
        MemberState m = new MemberState("a", Role.PRIMARY, PostgresState.RUNNING, "http://a:8008/patroni", "a", 5442,
                3, new Lsn(12345), Map.of("nofailover", "true"), true, "");
        a.publishMember(m);
        a.publishStatus(new Lsn(12400));
        ClusterView view = b.readClusterView();
        assertThat(view.members()).containsExactly(m);
        assertThat(view.leaderLsn()).contains(new Lsn(12400));
        clock.advance(Duration.ofSeconds(31));
        assertThat(b.readClusterView().members()).isEmpty();
    }

    @Test
    void aWatchWakesTheLoopOnDecisionKeysAndRoleChangesButNotOnRepublishing() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        try (AutoCloseable w = b.watch(changes::incrementAndGet)) {
            a.publishStatus(new Lsn(1));
            a.publishMember(member(Role.PRIMARY, 1));
            a.publishMember(member(Role.PRIMARY, 2));
            a.tryAcquireLeader();
            a.renewLeader();
            a.renewLeader();
            a.publishMember(member(Role.REPLICA, 2));
            a.releaseLeader();
            // Watch events are delivered in order on one thread: once a later write outside the prefix reached
            // its own watcher, every event before it reached the loop's.
            CountDownLatch flushed = new CountDownLatch(1);
            Watch flush = kv.watch(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("/flush")).build(),
                    r -> flushed.countDown());
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/flush")).build()).get(5, TimeUnit.SECONDS);
            assertThat(flushed.await(5, TimeUnit.SECONDS)).isTrue();
            flush.cancel();
        }
        assertThat(changes.get()).as("the member appearing and changing role, the leader key taken and released; "
                + "not the renewals, the status or a member republished with a new LSN").isEqualTo(4);
    }

    private static MemberState member(Role role, long lsn) {
        return new MemberState("a", role, PostgresState.RUNNING, "", "a", 5442, 1, new Lsn(lsn), Map.of(), false, "");
    }

    /** A clock that only moves when the test says so. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
