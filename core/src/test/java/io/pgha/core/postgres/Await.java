package io.pgha.core.postgres;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; fails with the last observation if it never holds. */
final class Await {
    private Await() {
    }

    static <T> T until(String what, Duration deadline, Supplier<T> probe, java.util.function.Predicate<T> done) {
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
        AssertionError failure = new AssertionError("timed out after " + deadline + " waiting for " + what
                + "; last seen: " + last);
        if (lastError != null) {
            failure.initCause(lastError);
        }
        throw failure;
    }
}
