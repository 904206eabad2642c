package io.pgha.core.agent;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule 1 enforced outside the HA loop. The loop tells the fence the send time of every successful acquire or renewal
 * of the leader key; a thread of its own waits for {@code send time + ttl - safety_margin} and, if no later renewal
 * moved the deadline, runs the fence action (stop Postgres now). The loop may be blocked in a store call, in a probe
 * of a hung Postgres, or frozen with the whole process: the deadline is kept on the monotonic clock, so after a
 * SIGSTOP/SIGCONT this thread's wait has already expired and it fires as soon as it is scheduled again, without
 * waiting for the loop's next cycle.
 */
final class LeaseFence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseFence.class);

    private final Duration demoteAfter;
    private final Runnable fence;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private boolean armed;
    private long deadline;
    private boolean running = true;
    private long fired;

    /**
     * @param demoteAfter {@code ttl - safety_margin}
     * @param fence       stops Postgres; runs on the fence thread, must not block on the store
     * @param nanoClock   monotonic clock ({@link System#nanoTime} outside tests)
     */
    LeaseFence(Duration demoteAfter, Runnable fence, LongSupplier nanoClock) {
        this.demoteAfter = demoteAfter;
        this.fence = fence;
        this.nanoClock = nanoClock;
        this.thread = new Thread(this::watch, "pgha-lease-fence");
        this.thread.setDaemon(true);
        // The fence must win the race against Postgres backends after a resume: ask for it, the OS may ignore it.
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    LeaseFence start() {
        thread.start();
        return this;
    }

    /** The leader key was acquired or renewed by a request sent at {@code sentNanos}; the deadline only moves on. */
    void renewed(long sentNanos) {
        lock.lock();
        try {
            long next = sentNanos + demoteAfter.toNanos();
            if (!armed || next - deadline > 0) {
                deadline = next;
            }
            armed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The key was given up on purpose: nothing to guard until the next acquire. */
    void disarm() {
        lock.lock();
        try {
            armed = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current deadline on the monotonic clock, if armed. */
    java.util.OptionalLong deadlineNanos() {
        lock.lock();
        try {
            return armed ? java.util.OptionalLong.of(deadline) : java.util.OptionalLong.empty();
        } finally {
            lock.unlock();
        }
    }

    /** How many times the fence fired (for the status and the tests). */
    long firedCount() {
        lock.lock();
        try {
            return fired;
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        lock.lock();
        try {
            while (running) {
                if (!armed) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long left = deadline - nanoClock.getAsLong();
                if (left > 0) {
                    changed.awaitNanos(left);
                    continue;
                }
                armed = false;
                fired++;
                lock.unlock();
                try {
                    fence.run();
                } catch (RuntimeException e) {
                    LOG.error("lease fence: stopping postgres failed: {}", e.getMessage());
                } finally {
                    lock.lock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.interrupt();
    }
}
