package io.pgha.store.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/** Futures that complete once a replica's applied index reaches their index. Thread-safe. */
final class AppliedIndexWaiters {
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> waiters = new ConcurrentSkipListMap<>();
    private final LongSupplier appliedIndex;

    AppliedIndexWaiters(LongSupplier appliedIndex) {
        this.appliedIndex = appliedIndex;
    }

    CompletableFuture<Void> await(long index) {
        if (appliedIndex.getAsLong() >= index) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = waiters.computeIfAbsent(index, i -> new CompletableFuture<>());
        // the index may have been applied between the check and the registration
        release();
        return waiter;
    }

    /** Completes every waiter at or below the applied index; call after each change of it. */
    void release() {
        ConcurrentNavigableMap<Long, CompletableFuture<Void>> due = waiters.headMap(appliedIndex.getAsLong(), true);
        due.values().forEach(f -> f.complete(null));
        due.clear();
    }
}
