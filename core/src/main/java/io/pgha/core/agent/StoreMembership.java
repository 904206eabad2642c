package io.pgha.core.agent;

import io.pgha.store.StoreCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store membership a join needs: names of voters and learners, and adding a node as a voter through a learner
 * ({@link StoreCluster#addVoterThroughLearner}, which the store runs as etcd does and which is safe to repeat).
 */
final class StoreMembership {
    private final StoreCluster cluster;

    StoreMembership(StoreCluster cluster) {
        this.cluster = cluster;
    }

    /** Voters' and learners' names. */
    List<String> names() {
        return cluster.members().stream().map(StoreCluster.StoreMember::name).toList();
    }

    /** Whether {@code name} is a voting member (a learner is not). */
    boolean isVoter(String name) {
        return cluster.members().stream().anyMatch(m -> m.name().equals(name) && !m.learner());
    }

    /** Adds {@code name} as a learner unless it is a member already, then promotes it to voter once in sync. */
    void addVoter(String name, String peerAddress, String clientUrl, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        cluster.addVoterThroughLearner(name, "http://" + peerAddress, List.of(clientUrl), timeout)
                .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }
}
