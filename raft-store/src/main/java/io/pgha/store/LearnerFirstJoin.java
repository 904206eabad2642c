package io.pgha.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * etcd's way to grow a cluster, over any {@link StoreCluster}: add the new member as a learner (it receives the
 * log but does not count towards the quorum), then promote it once it is in sync. A promotion refused because the
 * learner still lags is retried until the deadline. Safe to repeat: a member that is a learner already is only
 * promoted, a voter is left alone, so a joining node that retries after a timeout finishes its own join.
 */
final class LearnerFirstJoin {
    private static final long RETRY_MILLIS = 200;
    private static final String NOT_IN_SYNC = "in sync with leader";

    private final StoreCluster cluster;
    private final long deadlineNanos;

    private LearnerFirstJoin(StoreCluster cluster, Duration timeout) {
        this.cluster = cluster;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    static CompletableFuture<List<StoreCluster.StoreMember>> join(StoreCluster cluster, String name, String peerUrl,
            List<String> clientUrls, Duration timeout) {
        LearnerFirstJoin join = new LearnerFirstJoin(cluster, timeout);
        Optional<StoreCluster.StoreMember> existing = join.find(name);
        if (existing.isPresent() && !existing.get().learner()) {
            return CompletableFuture.completedFuture(cluster.members());
        }
        CompletableFuture<?> learner = existing.isPresent() ? CompletableFuture.completedFuture(null)
                : cluster.addMember(name, peerUrl, clientUrls, true);
        return learner.thenCompose(v -> join.promote(name));
    }

    private CompletableFuture<List<StoreCluster.StoreMember>> promote(String name) {
        Optional<StoreCluster.StoreMember> member = find(name);
        if (member.isEmpty()) {
            return CompletableFuture.failedFuture(EtcdErrors.MEMBER_NOT_FOUND);
        }
        if (!member.get().learner()) {
            return CompletableFuture.completedFuture(cluster.members());
        }
        return cluster.promoteMember(member.get().id()).handle((members, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(members);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (String.valueOf(cause.getMessage()).contains(NOT_IN_SYNC) && System.nanoTime() < deadlineNanos) {
                Executor later = CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return CompletableFuture.supplyAsync(() -> name, later).thenCompose(this::promote);
            }
            return CompletableFuture.<List<StoreCluster.StoreMember>>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private Optional<StoreCluster.StoreMember> find(String name) {
        return cluster.members().stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
