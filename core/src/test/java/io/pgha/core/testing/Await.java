package io.pgha.core.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling every 100 ms; fails with the last observation. */
public final class Await {
    private Await() {
    }

    /** Polls {@code probe} until {@code done} accepts its value, and returns that value. */
    public static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
        return until(what, deadline, probe, done, () -> "");
    }

    /** Polls {@code condition} until it holds. */
    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        until(what, deadline, condition::getAsBoolean, ok -> ok, () -> "");
    }

    /** As {@link #until(String, Duration, Supplier, Predicate)}, adding {@code diagnostics} to a timeout. */
    public static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done,
                              Supplier<String> diagnostics) {
        long end = System.nanoTime() + deadline.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < end) {
            try {
                last = probe.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        AssertionError failure = new AssertionError("timed out after " + deadline.toSeconds() + " s waiting for "
                + what + "; last seen: " + last + diagnostics.get());
        if (lastError != null) {
            failure.initCause(lastError);
        }
        throw failure;
    }
}
