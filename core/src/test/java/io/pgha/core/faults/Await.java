package io.pgha.core.faults;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling every 100 ms; fails with the last observation. */
public final class Await {
    private Await() {
    }

    public static <T> T until(String what, Duration deadline, Supplier<T> probe, Predicate<T> done) {
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
                + what + "; last seen: " + last);
        if (lastError != null) {
            failure.initCause(lastError);
        }
        throw failure;
    }
}
