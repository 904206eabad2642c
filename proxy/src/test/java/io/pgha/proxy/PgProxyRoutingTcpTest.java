package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing over real TCP on loopback: RW to the primary, RO by least connections, limits and garbage. */
class PgProxyRoutingTcpTest extends TcpFixture {

    @Test
    void rwReachesThePrimaryAndBytesFlowBothWays() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        start(settings().build()).update(table(1, n1.primary(), n2.replica(0)));

        PgClient c = rw();
        assertThat(c.startup()).isEqualTo("n1");
        assertThat(c.echo("select 1")).isEqualTo("select 1");
        assertThat(n2.accepted()).isZero();
    }

    @Test
    void roBalancesByLeastConnectionsAndSkipsLaggingAndNoLoadBalanceReplicas() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        FakePostgres n3 = echo("n3");
        FakePostgres lagging = echo("lagging");
        FakePostgres tagged = echo("tagged");
        start(settings().roMaxLagBytes(1000).build()).update(table(1, n1.primary(), n2.replica(0), n3.replica(10),
                lagging.replica(5000), tagged.replica(0).withNoLoadBalance()));

        List<PgClient> onN2 = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PgClient c = ro();
            String name = c.startup();
            got.add(name);
            if (name.equals("n2")) {
                onN2.add(c);
            }
        }
        assertThat(got).containsExactlyInAnyOrder("n2", "n2", "n3", "n3");
        for (PgClient c : onN2) {
            c.close();
        }
        Await.until("n2's sessions are gone", () -> current("n2", Listener.RO) == 0);

        // Least connections, not round robin: both new sessions go to the empty replica.
        assertThat(ro().startup()).isEqualTo("n2");
        assertThat(ro().startup()).isEqualTo("n2");
        assertThat(lagging.accepted() + tagged.accepted() + n1.accepted()).isZero();
    }

    @Test
    void roFallsBackToThePrimaryOnlyWhenAllowed() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres lagging = echo("lagging");
        start(settings().roMaxLagBytes(1000).roFallbackToPrimary(false).build())
                .update(table(1, n1.primary(), lagging.replica(5000)));
        assertThat(ro().sendStartup().readError()).isEqualTo("57P03 pgha: no replica available");

        proxy.close();
        start(settings().roMaxLagBytes(1000).build()).update(table(1, n1.primary(), lagging.replica(5000)));
        assertThat(ro().startup()).isEqualTo("n1");
    }

    @Test
    void connectionsOverTheListenerLimitAreRefusedWithAnErrorResponse() throws Exception {
        FakePostgres n1 = echo("n1");
        start(settings().maxConnections(2).build()).update(table(1, n1.primary()));
        PgClient a = rw();
        PgClient b = rw();
        assertThat(a.startup()).isEqualTo("n1");
        assertThat(b.startup()).isEqualTo("n1");

        PgClient c = rw().sendStartup();
        assertThat(c.readError()).isEqualTo("53300 too many connections for pgha proxy listener rw");
        assertThat(c.closedByPeer()).isTrue();
        assertThat(a.echo("still here")).isEqualTo("still here");
        assertThat(proxy.stats().listener(Listener.RW).refused()).isEqualTo(1);
    }

    @Test
    void garbageClosesOnlyThatConnection() throws Exception {
        FakePostgres n1 = echo("n1");
        start(settings().build()).update(table(1, n1.primary()));
        PgClient good = rw();
        assertThat(good.startup()).isEqualTo("n1");

        PgClient http = rw();
        http.send("GET / HTTP/1.1\r\nHost: db\r\n\r\n");
        assertThat(http.closedByPeer()).isTrue();
        assertThat(good.echo("ok")).isEqualTo("ok");
        assertThat(n1.accepted()).isEqualTo(1);
    }

    @Test
    void anUnreachablePrimaryIsReportedToTheClient() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        start(settings().build()).update(table(1, Backend.primary("gone", "127.0.0.1", closedPort)));
        assertThat(rw().sendStartup().readError()).isEqualTo("57P03 pgha: cannot connect to gone");
        Await.until("the session is forgotten", () -> proxy.stats().listener(Listener.RW).current() == 0);
    }

    @Test
    void withoutAPrimaryRwIsRefusedWithAnErrorResponse() throws Exception {
        FakePostgres n2 = echo("n2");
        start(settings().build()).update(table(1, null, n2.replica(0)));
        assertThat(rw().sendStartup().readError()).isEqualTo("57P03 pgha: no primary available");
    }
}
