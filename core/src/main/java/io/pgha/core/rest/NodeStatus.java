package io.pgha.core.rest;

import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.PostgresState;
import io.pgha.core.postgres.Role;
import java.util.Map;
import java.util.Optional;

/**
 * This node as the health checks see it, taken once per request from {@link NodeStatusService}.
 *
 * @param name          member name
 * @param role          Postgres role (primary / replica / unknown)
 * @param state         Postgres state
 * @param holdsLeaderKey whether this node holds the leader key
 * @param syncStandby   listed in the {@code sync} key
 * @param timeline      current timeline (0 unknown)
 * @param writeLsn      primary's write position
 * @param receivedLsn   replica's received position
 * @param replayedLsn   replica's replayed position
 * @param lagBytes      bytes behind the last published primary position, when known
 * @param streaming     the WAL receiver is streaming
 * @param tags          the node's tags
 * @param loopAlive     the HA loop ran recently (within ttl on a primary, 2 x ttl on a replica)
 * @param maximumLagOnFailover the default lag limit for {@code /readiness}
 */
public record NodeStatus(String name, Role role, PostgresState state, boolean holdsLeaderKey, boolean syncStandby,
                         long timeline, Optional<Lsn> writeLsn, Optional<Lsn> receivedLsn, Optional<Lsn> replayedLsn,
                         Optional<Long> lagBytes, boolean streaming, Map<String, String> tags, boolean loopAlive,
                         long maximumLagOnFailover) {
    public NodeStatus {
        tags = Map.copyOf(tags);
    }

    public boolean running() {
        return state == PostgresState.RUNNING;
    }
}
