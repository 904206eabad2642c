package io.pgha.core.agent;

import io.pgha.core.config.ProxyConfig;
import io.pgha.core.dcs.ClusterView;
import io.pgha.core.dcs.MemberState;
import io.pgha.core.postgres.Lsn;
import io.pgha.core.postgres.Role;
import io.pgha.proxy.Backend;
import io.pgha.proxy.PgProxy;
import io.pgha.proxy.ProxyStats;
import io.pgha.proxy.ProxySettings;
import io.pgha.proxy.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the proxy from the HA loop (safety rule 2): RW goes to the member that holds the leader key and reports
 * itself a running primary, RO to the running replicas with their lag. A new table is pushed only when the routing
 * changed; every cycle's successful store read confirms the leader, so the proxy fails closed once the store stops
 * answering for longer than the ttl.
 */
final class RoutingPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingPublisher.class);

    private final PgProxy proxy;
    private long generation;
    private RoutingTable current = RoutingTable.empty();

    RoutingPublisher(PgProxy proxy) {
        this.proxy = proxy;
    }

    static RoutingPublisher start(ProxyConfig c, Duration ttl) {
        PgProxy proxy = new PgProxy(ProxySettings.builder().listenAddress(c.listen())
                .ports(c.rwPort(), c.roPort(), c.statsPort()).roMaxLagBytes(c.roMaxLag().bytes())
                .roFallbackToPrimary(c.roFallbackToPrimary()).holdTimeout(c.holdTimeout())
                .maxConnections(c.maxConnections()).connectTimeout(c.connectTimeout()).leaderConfirmTimeout(ttl)
                .build());
        proxy.start();
        return new RoutingPublisher(proxy);
    }

    /** Called once per HA cycle, on the loop thread. */
    void onCycle(NodeStatus status) {
        ClusterView view = status.cluster();
        Optional<Backend> rw = view.leaderMember().filter(m -> m.isRunning() && m.role() == Role.PRIMARY)
                .map(m -> Backend.primary(m.name(), m.host(), m.port()));
        Lsn top = view.leaderLsn().orElse(Lsn.ZERO);
        List<Backend> ro = view.members().stream().filter(m -> m.isRunning() && m.role() == Role.REPLICA)
                .map(m -> backend(m, top)).toList();
        boolean hold = holdsNewRw(view, status.at(), rw.isPresent(), current.holdNewRw());
        RoutingTable next = new RoutingTable(generation + 1, rw, ro, hold, status.at());
        if (!sameRoutes(next, current)) {
            generation++;
            current = next;
            proxy.update(next);
            LOG.info("proxy routing: {}", next.describe());
        } else if (rw.isPresent()) {
            proxy.confirm(status.at());
        }
    }

    /**
     * A due switchover is announced: new RW connections wait for the new primary instead of meeting the old one
     * shutting down or no primary at all; they are released once a table names the new one. The hold ends as soon
     * as another member leads as a running primary, not when the request is cleared: the new leader clears it right
     * after its promotion, and its member record may say primary a moment later.
     */
    static boolean holdsNewRw(ClusterView view, Instant at, boolean routed, boolean holding) {
        boolean announced = view.failover().filter(f -> f.isSwitchover() && f.isDue(at)
                && (!routed || f.leader().filter(view::isLeader).isPresent())).isPresent();
        return announced || (holding && !routed && view.leader().isPresent());
    }

    private static Backend backend(MemberState m, Lsn top) {
        Backend b = Backend.replica(m.name(), m.host(), m.port(), m.lsn().bytesBehind(top));
        return m.noLoadBalance() ? b.withNoLoadBalance() : b;
    }

    private static boolean sameRoutes(RoutingTable a, RoutingTable b) {
        // Lag moves every cycle; only a changed set of backends is worth a new table.
        return !a.rwDiffersFrom(b) && a.holdNewRw() == b.holdNewRw()
                && a.ro().stream().map(Backend::member).toList().equals(b.ro().stream().map(Backend::member).toList());
    }

    /** The proxy's counters, for {@code /metrics}. */
    ProxyStats stats() {
        return proxy.stats();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
