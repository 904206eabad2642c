package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The lease fence's deadline bookkeeping, with a clock the test moves; the real kill is covered by FencingIT. */
class LeaseFenceTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong();
    private final List<Long> firedAt = new CopyOnWriteArrayList<>();

    private LeaseFence fence(Duration demoteAfter) {
        return new LeaseFence(demoteAfter, () -> firedAt.add(clock.get()), clock::get).start();
    }

    @Test
    void anUnrenewedLeaseFiresOnceItsDeadlinePasses() {
        try (LeaseFence f = fence(Duration.ofMillis(100))) {
            f.renewed(0);
            clock.set(250 * MS);
            await(() -> f.firedCount() == 1);
            assertThat(firedAt).containsExactly(250 * MS);
            assertThat(f.deadlineNanos()).isEmpty();
        }
    }

    @Test
    void theDeadlineFollowsTheLatestSendTimeAndNeverMovesBack() {
        try (LeaseFence f = fence(Duration.ofMillis(100))) {
            assertThat(f.deadlineNanos()).isEmpty();
            f.renewed(0);
            assertThat(f.deadlineNanos()).isEqualTo(OptionalLong.of(100 * MS));
            f.renewed(50 * MS);
            assertThat(f.deadlineNanos()).isEqualTo(OptionalLong.of(150 * MS));
            // A renewal whose request was sent earlier (answered late) must not shorten the protection it measures.
            f.renewed(10 * MS);
            assertThat(f.deadlineNanos()).isEqualTo(OptionalLong.of(150 * MS));
        }
    }

    @Test
    void aDisarmedFenceWaitsForTheNextAcquire() {
        try (LeaseFence f = fence(Duration.ofMillis(100))) {
            f.renewed(0);
            f.disarm();
            assertThat(f.deadlineNanos()).isEmpty();
            clock.set(1_000 * MS);
            f.renewed(2_000 * MS);
            assertThat(f.deadlineNanos()).isEqualTo(OptionalLong.of(2_100 * MS));
            clock.set(3_000 * MS);
            await(() -> f.firedCount() == 1);
            assertThat(firedAt).containsExactly(3_000 * MS);
        }
    }

    @Test
    void onTheRealClockTheFenceFiresWithoutAnyoneCallingIt() {
        AtomicLong fired = new AtomicLong();
        try (LeaseFence f = new LeaseFence(Duration.ofMillis(50), fired::incrementAndGet, System::nanoTime).start()) {
            f.renewed(System.nanoTime());
            await(() -> fired.get() == 1);
        }
    }

    @Test
    void aFailingFenceActionDoesNotStopTheGuard() {
        AtomicLong calls = new AtomicLong();
        Runnable failing = () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("kill not found");
        };
        try (LeaseFence f = new LeaseFence(Duration.ofMillis(10), failing, clock::get).start()) {
            f.renewed(0);
            clock.set(20 * MS);
            await(() -> calls.get() == 1);
            f.renewed(20 * MS);
            clock.set(40 * MS);
            await(() -> calls.get() == 2);
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            LockSupport.parkNanos(5 * MS);
        }
    }
}
