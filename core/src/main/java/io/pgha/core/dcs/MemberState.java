package io.pgha.core.dcs;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.util.Map;
import java.util.Objects;

/**
 * What one member publishes under {@code /pgha/<cluster>/members/<name>} (leased JSON, refreshed every loop).
 * {@code lsn} is the write position on a primary and the received (else replayed) position on a replica.
 * Tags follow Patroni: {@code nofailover}, {@code failover_priority}, {@code clonefrom}, {@code noloadbalance},
 * {@code nosync}, and any custom tag. {@code pendingRestart} is Postgres' {@code pg_settings.pending_restart} (a
 * changed parameter waits for a restart); {@code activity} is what a member busy without a running Postgres is
 * doing, such as {@code creating replica (45%)}, published as its state text as Patroni does, empty otherwise.
 */
public record MemberState(String name, Role role, PostgresState state, String apiUrl, String host, int port,
                          long timeline, Lsn lsn, Map<String, String> tags, boolean pendingRestart,
                          String activity) {

    public MemberState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(state, "state");
        lsn = lsn == null ? Lsn.ZERO : lsn;
        tags = Map.copyOf(tags == null ? Map.of() : tags);
        activity = activity == null ? "" : activity;
    }


    /** This record with {@code position} as its WAL position (a fresher reading than the published one). */
    public MemberState withLsn(Lsn position) {
        return new MemberState(name, role, state, apiUrl, host, port, timeline, position, tags, pendingRestart,
                activity);
    }

    /** {@code nofailover: true} or {@code failover_priority <= 0}: never a leader candidate. */
    public boolean noFailover() {
        return isTrue(tags.get("nofailover")) || failoverPriority() <= 0;
    }

    /** Patroni's {@code failover_priority}; default 1; only breaks ties between equally advanced candidates. */
    public int failoverPriority() {
        String value = tags.get("failover_priority");
        if (value == null) {
            return 1;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    public boolean cloneFrom() {
        return isTrue(tags.get("clonefrom"));
    }

    /** {@code nosync: true}: never chosen as a synchronous standby. */
    public boolean noSync() {
        return isTrue(tags.get("nosync"));
    }

    public boolean noLoadBalance() {
        return isTrue(tags.get("noloadbalance"));
    }

    /** Running and answering: the only state in which a member counts as healthy for the leader race. */
    public boolean isRunning() {
        return state == PostgresState.RUNNING;
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("on")
                || value.equalsIgnoreCase("yes"));
    }
}
