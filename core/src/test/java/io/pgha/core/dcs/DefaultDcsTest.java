package io.pgha.core.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import io.pgha.store.testing.InMemoryKv;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
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
        long revision = a.readClusterView().revision();
        clock.advance(Duration.ofSeconds(20));
        assertThat(a.renewLeader()).isTrue();
        assertThat(a.readClusterView().revision()).as("renewal writes nothing").isEqualTo(revision);
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
    void aWatchWakesTheLoopOnAnyChangeUnderThePrefix() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        try (AutoCloseable w = b.watch(changes::incrementAndGet)) {
            a.tryAcquireLeader();
            a.publishStatus(new Lsn(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (changes.get() < 2 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        assertThat(changes.get()).as("one wake-up per change").isEqualTo(2);
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
