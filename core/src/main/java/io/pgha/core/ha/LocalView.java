package io.pgha.core.ha;

import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What this node knows about itself at the start of a cycle: its Postgres, and the agent's own memory that is not in
 * the store (when the leader lease was last renewed, whether a rejoin is pending, which job is running).
 *
 * @param name           this member's name
 * @param dataDirPresent the data directory holds a cluster ({@code PG_VERSION} exists)
 * @param state          the postmaster's state
 * @param role           primary or replica while running; UNKNOWN otherwise
 * @param timeline       the current timeline (0 if unknown)
 * @param lsn            write position on a primary, received (else replayed) position on a replica
 * @param systemId       the data directory's system identifier, if there is one
 * @param lastRenewSent  send time of the last successful acquire or renew of the leader key (rule 1 counts from it)
 * @param following      the member named in this replica's {@code primary_conninfo}, if any
 * @param rejoin         whether this former primary must be rewound before it may follow anybody
 * @param jobInProgress  a long action (clone, rewind, bootstrap) still running on the worker
 * @param tags           this node's tags (nofailover, failover_priority, clonefrom, ...)
 */
public record LocalView(String name, boolean dataDirPresent, PostgresState state, Role role, long timeline, Lsn lsn,
                        Optional<String> systemId, Optional<Instant> lastRenewSent, Optional<String> following,
                        RejoinState rejoin, Optional<String> jobInProgress, Map<String, String> tags) {

    /** Whether a demoted primary must rejoin through pg_rewind (rule 4). */
    public enum RejoinState {
        NONE, NEEDS_REWIND, REWIND_FAILED
    }

    public LocalView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(role, "role");
        lsn = lsn == null ? Lsn.ZERO : lsn;
        tags = Map.copyOf(tags);
    }

    public boolean isRunningPrimary() {
        return state == PostgresState.RUNNING && role == Role.PRIMARY;
    }

    public boolean isRunningReplica() {
        return state == PostgresState.RUNNING && role == Role.REPLICA;
    }

    /** This node as it would publish itself; the candidate ranking compares it with the other members. */
    public MemberState asMember() {
        return new MemberState(name, role, state, "", "", 0, timeline, lsn, tags, false, "");
    }
}
