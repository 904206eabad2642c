package io.pgha.proxy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable routing decision the agent pushes into the proxy.
 *
 * <p>Contract with the agent: {@code rw} is present only for the member that holds the leader key AND reports itself
 * primary (safety rule 2). The proxy trusts it as given and does no health checking of its own.
 *
 * @param generation  increases with every table the agent builds; a table older than the current one is ignored
 * @param rw          the primary to send RW connections to, or empty (no primary: RW connections are refused, or held
 *                    while {@code holdNewRw})
 * @param ro          candidates for RO connections, in the agent's order; filtered by the proxy (state, lag, tag)
 * @param holdNewRw   set during a planned switchover: new RW connections wait (up to {@code holdTimeout}) instead of
 *                    being refused or connected, and are released to the next table's primary
 * @param confirmedAt when the store last confirmed the leader this table names; {@link PgProxy#confirm(Instant)}
 *                    moves it forward without a new table
 */
public record RoutingTable(long generation, Optional<Backend> rw, List<Backend> ro, boolean holdNewRw,
                           Instant confirmedAt) {

    public RoutingTable {
        Objects.requireNonNull(rw, "rw");
        Objects.requireNonNull(confirmedAt, "confirmedAt");
        ro = List.copyOf(ro);
        if (generation < 0) {
            throw new IllegalArgumentException("negative generation: " + generation);
        }
    }

    /** The table in force before the agent pushed anything: no backends, never confirmed. */
    public static RoutingTable empty() {
        return new RoutingTable(0, Optional.empty(), List.of(), false, Instant.EPOCH);
    }

    /** A table with a primary and replicas, not holding. */
    public static RoutingTable of(long generation, Backend rw, List<Backend> ro, Instant confirmedAt) {
        return new RoutingTable(generation, Optional.ofNullable(rw), ro, false, confirmedAt);
    }

    /** Whether the RW target of {@code other} is a different endpoint (or presence) than this table's. */
    public boolean rwDiffersFrom(RoutingTable other) {
        if (rw.isEmpty() || other.rw.isEmpty()) {
            return rw.isPresent() != other.rw.isPresent();
        }
        return !rw.get().sameEndpoint(other.rw.get());
    }

    /** One line for logs and the stats page. */
    public String describe() {
        return "gen " + generation + " rw=" + rw.map(Backend::describe).orElse("none")
                + " ro=" + ro.stream().map(Backend::member).toList() + (holdNewRw ? " hold" : "");
    }
}
