package io.pgha.proxy.route;

import io.pgha.proxy.Backend;
import io.pgha.proxy.BackendRole;
import io.pgha.proxy.RoutingTable;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The routing rules as pure functions of the table and the current load: no I/O, no clock, no state.
 *
 * <p>RW: only the table's primary, and only while the gate is open. RO: serving replicas, without the
 * {@code noloadbalance} tag and within the lag limit, least active sessions first (ties: fewest sessions ever, then
 * the table's order); none qualifies → the primary if the fallback is enabled, else refuse.
 */
public final class Router {
    public static final String CANNOT_CONNECT_NOW = "57P03";
    public static final String TOO_MANY_CONNECTIONS = "53300";
    public static final String NO_PRIMARY = "pgha: no primary available";
    public static final String NO_PRIMARY_UNCONFIRMED =
            "pgha: no primary available (the store has not confirmed the leader)";
    public static final String NO_REPLICA = "pgha: no replica available";

    private final long roMaxLagBytes;
    private final boolean roFallbackToPrimary;

    public Router(long roMaxLagBytes, boolean roFallbackToPrimary) {
        this.roMaxLagBytes = roMaxLagBytes;
        this.roFallbackToPrimary = roFallbackToPrimary;
    }

    /** Where a new RW connection goes. */
    public Route routeRw(RoutingTable table, RwGate gate) {
        if (gate == RwGate.FAIL_CLOSED) {
            return new Route.Refuse(CANNOT_CONNECT_NOW, NO_PRIMARY_UNCONFIRMED);
        }
        if (gate == RwGate.HOLD) {
            return new Route.Hold("switchover in progress (table generation " + table.generation() + ")");
        }
        return table.rw().filter(Router::isUsablePrimary)
                .<Route>map(Route.Connect::new)
                .orElseGet(() -> new Route.Refuse(CANNOT_CONNECT_NOW, NO_PRIMARY));
    }

    /**
     * Where a new RO connection goes.
     *
     * @param active sessions currently open to a backend (by member)
     * @param total  sessions ever opened to a backend, the tie-breaker that spreads a burst
     */
    public Route routeRo(RoutingTable table, ToLongFunction<Backend> active, ToLongFunction<Backend> total) {
        Backend best = null;
        for (Backend b : eligibleReplicas(table)) {
            if (best == null || isLessLoaded(b, best, active, total)) {
                best = b;
            }
        }
        if (best != null) {
            return new Route.Connect(best);
        }
        if (roFallbackToPrimary && table.rw().filter(Router::isUsablePrimary).isPresent()) {
            return new Route.Connect(table.rw().get());
        }
        return new Route.Refuse(CANNOT_CONNECT_NOW, NO_REPLICA);
    }

    /**
     * Where an RO CancelRequest must go. The proxy cannot see which backend holds the session to cancel (the key is
     * inside the session, often under TLS), so it goes to every serving backend of the table: the one that owns the
     * key cancels, the others ignore a key they do not know.
     */
    public List<Backend> roCancelTargets(RoutingTable table) {
        java.util.Map<String, Backend> targets = new java.util.LinkedHashMap<>();
        table.ro().stream().filter(b -> b.state().isServing()).forEach(b -> targets.putIfAbsent(b.member(), b));
        table.rw().filter(b -> b.state().isServing()).ifPresent(b -> targets.putIfAbsent(b.member(), b));
        return List.copyOf(targets.values());
    }

    /** The replicas of the table that qualify for RO, in table order. */
    public List<Backend> eligibleReplicas(RoutingTable table) {
        return table.ro().stream()
                .filter(b -> b.role() == BackendRole.REPLICA)
                .filter(b -> b.state().isServing())
                .filter(b -> !b.noLoadBalance())
                .filter(b -> b.lagBytes() <= roMaxLagBytes)
                .toList();
    }

    private static boolean isUsablePrimary(Backend b) {
        return b.role() == BackendRole.PRIMARY && b.state().isServing();
    }

    private static boolean isLessLoaded(Backend a, Backend b, ToLongFunction<Backend> active,
                                        ToLongFunction<Backend> total) {
        long byActive = Long.compare(active.applyAsLong(a), active.applyAsLong(b));
        if (byActive != 0) {
            return byActive < 0;
        }
        return total.applyAsLong(a) < total.applyAsLong(b);
    }
}
