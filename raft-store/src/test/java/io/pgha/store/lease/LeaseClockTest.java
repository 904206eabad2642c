package io.pgha.store.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.store.EtcdErrors;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseClockTest {
    private final AtomicLong now = new AtomicLong(-5_000_000_000L);
    private final LeaseClock clock = new LeaseClock(now::get);

    private void advanceMillis(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void leaseExpiresAtItsDeadlineUnlessKeptAlive() {
        clock.promote(Map.of(), 0);
        clock.grant(1, 2);
        clock.grant(2, 2);
        advanceMillis(1500);
        assertThat(clock.keepAlive(1)).isEqualTo(2);
        assertThat(clock.remainingTtl(2)).isEqualTo(1);
        advanceMillis(600);
        assertThat(clock.expired()).containsExactly(2L);
        assertThat(clock.keepAlive(2)).isZero();
        assertThat(clock.remainingTtl(2)).isZero();
        assertThat(clock.remainingTtl(1)).isEqualTo(2);
        clock.forget(2);
        assertThat(clock.remainingTtl(2)).isEqualTo(-1);
        assertThat(clock.keepAlive(42)).isZero();
    }

    @Test
    void promoteGivesEveryLeaseAFreshDeadlinePlusExtra() {
        clock.grant(1, 2);
        advanceMillis(10_000);
        assertThat(clock.expired()).as("a follower expires nothing").isEmpty();
        clock.promote(Map.of(1L, 2L, 3L, 5L), 1000);
        advanceMillis(2500);
        assertThat(clock.expired()).isEmpty();
        advanceMillis(600);
        assertThat(clock.expired()).containsExactly(1L);
    }

    @Test
    void demotedClockNeitherExpiresNorRenews() {
        clock.promote(Map.of(1L, 2L), 0);
        clock.demote();
        advanceMillis(5000);
        assertThat(clock.isPrimary()).isFalse();
        assertThat(clock.expired()).isEmpty();
        assertThatThrownBy(() -> clock.keepAlive(1)).isSameAs(EtcdErrors.NOT_LEADER);
    }
}
