package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Leader changes, switchover holds and failing closed, over real TCP on loopback. */
class PgProxyFailoverTcpTest extends TcpFixture {

    @Test
    void aLeaderChangeClosesOldRwSessionsAndNewOnesReachTheNewPrimary() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        start(settings().build()).update(table(1, n1.primary(), n2.replica(0)));
        PgClient a = rw();
        PgClient b = rw();
        PgClient reader = ro();
        assertThat(a.startup()).isEqualTo("n1");
        assertThat(b.startup()).isEqualTo("n1");
        assertThat(reader.startup()).isEqualTo("n2");

        TableUpdate u = proxy.update(table(2, n2.primary()));
        u.allClosed().get(10, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(u.sessionsClosed()).isEqualTo(2);
        assertThat(a.closedByPeer()).isTrue();
        assertThat(b.closedByPeer()).isTrue();
        Await.until("the old primary has no connection left", () -> n1.openConnections() == 0);
        assertThat(rw().startup()).isEqualTo("n2");
        assertThat(reader.echo("a replica session is not touched by a leader change"))
                .isEqualTo("a replica session is not touched by a leader change");
    }

    @Test
    void heldConnectionsAreReleasedToTheNewPrimaryAndSucceed() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        start(settings().build()).update(table(1, n1.primary(), n2.replica(0)));
        proxy.update(holding(2));

        PgClient a = rw().sendStartup();
        PgClient b = rw().sendStartup();
        Await.until("both are held", () -> proxy.stats().listener(Listener.RW).held() == 2);
        assertThat(n1.accepted() + n2.accepted()).isZero();

        proxy.update(table(3, n2.primary()));

        assertThat(a.readLine()).isEqualTo("n2");
        assertThat(b.readLine()).isEqualTo("n2");
        assertThat(a.echo("insert")).isEqualTo("insert");
        assertThat(proxy.stats().listener(Listener.RW).held()).isZero();
    }

    @Test
    void heldConnectionsAreClosedWithAnErrorAfterTheHoldTimeout() throws Exception {
        start(settings().holdTimeout(Duration.ofMillis(300)).build()).update(holding(1));
        PgClient a = rw().sendStartup();
        assertThat(a.readError()).startsWith("57P03 pgha: no primary available");
        assertThat(a.closedByPeer()).isTrue();
    }

    @Test
    void anUnconfirmedLeaderFailsRwClosedButRoKeepsWorking() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        start(settings().build()).update(table(1, n1.primary(), n2.replica(0)));
        PgClient writer = rw();
        PgClient reader = ro();
        assertThat(writer.startup()).isEqualTo("n1");
        assertThat(reader.startup()).isEqualTo("n2");

        clock.advance(Duration.ofSeconds(31));
        Await.until("RW fails closed", () -> proxy.stats().rwFailClosed());

        assertThat(writer.closedByPeer()).isTrue();
        assertThat(rw().sendStartup().readError())
                .isEqualTo("57P03 pgha: no primary available (the store has not confirmed the leader)");
        assertThat(reader.echo("still reading")).isEqualTo("still reading");
        assertThat(ro().startup()).isEqualTo("n2");

        proxy.confirm(clock.instant());
        assertThat(proxy.stats().rwFailClosed()).isFalse();
        assertThat(rw().startup()).isEqualTo("n1");
    }

    @Test
    void aShortStoreHiccupWithinTheTimeoutClosesNothing() throws Exception {
        FakePostgres n1 = echo("n1");
        start(settings().build()).update(table(1, n1.primary()));
        PgClient writer = rw();
        assertThat(writer.startup()).isEqualTo("n1");
        clock.advance(Duration.ofSeconds(29));
        proxy.confirm(clock.instant());
        clock.advance(Duration.ofSeconds(29));
        assertThat(writer.echo("still writing")).isEqualTo("still writing");
        assertThat(proxy.stats().rwFailClosed()).isFalse();
    }
}
