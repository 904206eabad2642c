package io.pgha.proxy;

import java.util.Objects;

/**
 * One Postgres server the proxy may route to, as the agent saw it when it built the routing table.
 *
 * @param member        the cluster member name (unique in the cluster; the key of the per-backend statistics)
 * @param host          host name or address the proxy connects to
 * @param port          Postgres port on that host
 * @param role          what the member reports itself to be
 * @param state         whether its Postgres is serving
 * @param lagBytes      replication lag behind the primary in bytes (0 for the primary; unknown: {@link Long#MAX_VALUE})
 * @param noLoadBalance the member's {@code noloadbalance} tag: never chosen for RO connections
 */
public record Backend(String member, String host, int port, BackendRole role, BackendState state, long lagBytes,
                      boolean noLoadBalance) {

    public Backend {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(state, "state");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (lagBytes < 0) {
            throw new IllegalArgumentException("negative lag: " + lagBytes);
        }
    }

    /** A running primary, the usual RW entry. */
    public static Backend primary(String member, String host, int port) {
        return new Backend(member, host, port, BackendRole.PRIMARY, BackendState.RUNNING, 0, false);
    }

    /** A streaming replica with the given lag, eligible for load balancing. */
    public static Backend replica(String member, String host, int port, long lagBytes) {
        return new Backend(member, host, port, BackendRole.REPLICA, BackendState.STREAMING, lagBytes, false);
    }

    /** This backend with the {@code noloadbalance} tag set. */
    public Backend withNoLoadBalance() {
        return new Backend(member, host, port, role, state, lagBytes, true);
    }

    /** This backend in another state. */
    public Backend withState(BackendState newState) {
        return new Backend(member, host, port, role, newState, lagBytes, noLoadBalance);
    }

    /**
     * Whether both name the same server process endpoint. Lag, state and tags change from table to table; a session
     * stays attached to the endpoint it was opened to, so this is the identity used to decide what to close.
     */
    public boolean sameEndpoint(Backend other) {
        return other != null && member.equals(other.member) && host.equals(other.host) && port == other.port;
    }

    /** {@code member@host:port}, for logs. */
    public String describe() {
        return member + "@" + host + ":" + port;
    }
}
