package io.pgha.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.proxy.Backend;
import io.pgha.proxy.BackendState;
import io.pgha.proxy.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final long MAX_LAG = 1000;
    private static final Backend N1 = Backend.primary("n1", "10.0.0.1", 5442);
    private static final Backend N2 = Backend.replica("n2", "10.0.0.2", 5442, 0);
    private static final Backend N3 = Backend.replica("n3", "10.0.0.3", 5442, 10);
    private static final ToLongFunction<Backend> NONE = b -> 0;

    private final Router withFallback = new Router(MAX_LAG, true);
    private final Router withoutFallback = new Router(MAX_LAG, false);

    private static RoutingTable table(Backend rw, Backend... ro) {
        return RoutingTable.of(7, rw, List.of(ro), Instant.EPOCH);
    }

    private static ToLongFunction<Backend> load(Map<String, Long> byMember) {
        return b -> byMember.getOrDefault(b.member(), 0L);
    }

    @Test
    void rwGoesToThePrimaryWhileTheGateIsOpen() {
        assertThat(withFallback.routeRw(table(N1, N2), RwGate.OPEN)).isEqualTo(new Route.Connect(N1));
    }

    @Test
    void rwWithoutPrimaryIsRefusedWithCannotConnectNow() {
        Route r = withFallback.routeRw(table(null, N2), RwGate.OPEN);
        assertThat(r).isEqualTo(new Route.Refuse("57P03", "pgha: no primary available"));
    }

    @Test
    void rwFailedClosedIsRefusedEvenWithAPrimaryInTheTable() {
        Route r = withFallback.routeRw(table(N1, N2), RwGate.FAIL_CLOSED);
        assertThat(r).isInstanceOf(Route.Refuse.class);
        assertThat(((Route.Refuse) r).message()).contains("not confirmed");
    }

    @Test
    void rwIsHeldDuringASwitchover() {
        assertThat(withFallback.routeRw(table(N1, N2), RwGate.HOLD)).isInstanceOf(Route.Hold.class);
    }

    @Test
    void rwNeverGoesToAReplicaOrAStoppedPrimaryEvenIfTheTableSaysSo() {
        assertThat(withFallback.routeRw(table(N2), RwGate.OPEN)).isInstanceOf(Route.Refuse.class);
        assertThat(withFallback.routeRw(table(N1.withState(BackendState.STOPPED)), RwGate.OPEN))
                .isInstanceOf(Route.Refuse.class);
    }

    @Test
    void roPicksTheReplicaWithTheFewestActiveSessions() {
        Route r = withFallback.routeRo(table(N1, N2, N3), load(Map.of("n2", 3L, "n3", 1L)), NONE);
        assertThat(r).isEqualTo(new Route.Connect(N3));
    }

    @Test
    void roBreaksTiesByTotalSessionsThenTableOrder() {
        assertThat(withFallback.routeRo(table(N1, N2, N3), NONE, load(Map.of("n2", 5L))))
                .isEqualTo(new Route.Connect(N3));
        assertThat(withFallback.routeRo(table(N1, N2, N3), NONE, NONE)).isEqualTo(new Route.Connect(N2));
    }

    @Test
    void roSkipsLaggingNoLoadBalanceAndNotServingReplicas() {
        Backend lagging = Backend.replica("lag", "10.0.0.4", 5442, MAX_LAG + 1);
        Backend tagged = Backend.replica("tag", "10.0.0.5", 5442, 0).withNoLoadBalance();
        Backend starting = Backend.replica("start", "10.0.0.6", 5442, 0).withState(BackendState.STARTING);
        RoutingTable t = table(N1, lagging, tagged, starting, N3);
        assertThat(withFallback.eligibleReplicas(t)).containsExactly(N3);
        assertThat(withFallback.routeRo(t, load(Map.of("n3", 100L)), NONE)).isEqualTo(new Route.Connect(N3));
    }

    @Test
    void roWithoutQualifyingReplicaFallsBackToThePrimaryOnlyIfAllowed() {
        Backend lagging = Backend.replica("lag", "10.0.0.4", 5442, MAX_LAG + 1);
        assertThat(withFallback.routeRo(table(N1, lagging), NONE, NONE)).isEqualTo(new Route.Connect(N1));
        assertThat(withoutFallback.routeRo(table(N1, lagging), NONE, NONE))
                .isEqualTo(new Route.Refuse("57P03", "pgha: no replica available"));
    }

    @Test
    void roWithNothingAtAllIsRefused() {
        RoutingTable empty = new RoutingTable(1, Optional.empty(), List.of(), false, Instant.EPOCH);
        assertThat(withFallback.routeRo(empty, NONE, NONE)).isInstanceOf(Route.Refuse.class);
    }

    @Test
    void aPrimaryListedAmongTheReplicasIsNotBalancedTo() {
        assertThat(withoutFallback.routeRo(table(N1, N1), NONE, NONE)).isInstanceOf(Route.Refuse.class);
    }
}
