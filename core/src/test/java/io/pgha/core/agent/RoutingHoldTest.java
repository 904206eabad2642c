package io.pgha.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.FailoverRequest;
import io.pgha.core.dcs.LeaderKey;
import io.pgha.core.dcs.SyncState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the proxy holds new RW connections during a switchover instead of refusing them. */
class RoutingHoldTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    private static ClusterView view(Optional<String> leader, Optional<FailoverRequest> request) {
        return new ClusterView("demo", 7, Optional.empty(), leader.map(n -> new LeaderKey(n, 5, 1)), List.of(),
                Optional.of("{}"), request, SyncState.empty(), List.of(), Optional.empty());
    }

    private static Optional<FailoverRequest> switchover(Optional<Instant> at) {
        return Optional.of(new FailoverRequest(Optional.of("node1"), Optional.of("node2"), at, false, 3));
    }

    @Test
    void aDueSwitchoverHoldsWhileTheOldPrimaryIsStillRouted() {
        assertThat(RoutingPublisher.holdsNewRw(view(Optional.of("node1"), switchover(Optional.empty())), NOW,
                true, false)).isTrue();
    }

    @Test
    void aScheduledSwitchoverDoesNotHoldBeforeItsTime() {
        assertThat(RoutingPublisher.holdsNewRw(view(Optional.of("node1"),
                switchover(Optional.of(NOW.plusSeconds(60)))), NOW, true, false)).isFalse();
    }

    @Test
    void theHoldOutlivesTheClearedRequestUntilTheNewLeaderIsRouted() {
        ClusterView promoted = view(Optional.of("node2"), Optional.empty());
        assertThat(RoutingPublisher.holdsNewRw(promoted, NOW, false, true)).as("leader, not yet routed").isTrue();
        assertThat(RoutingPublisher.holdsNewRw(promoted, NOW, true, true)).as("routed: released").isFalse();
    }

    @Test
    void withoutARequestOrALeaderNothingIsHeld() {
        assertThat(RoutingPublisher.holdsNewRw(view(Optional.of("node2"), Optional.empty()), NOW, false, false))
                .as("a failover, not a switchover: refuse at once").isFalse();
        assertThat(RoutingPublisher.holdsNewRw(view(Optional.empty(), Optional.empty()), NOW, false, true))
                .as("the new leader gave up the key").isFalse();
    }
}
