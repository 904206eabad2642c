package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings validation, start/close, and what a fresh proxy does before the agent pushed anything. */
class PgProxyLifecycleTest extends TcpFixture {

    @Test
    void defaultsAreTheDocumentedPorts() {
        ProxySettings d = ProxySettings.builder().build();
        assertThat(d.rwPort()).isEqualTo(5432);
        assertThat(d.roPort()).isEqualTo(5433);
        assertThat(d.statsPort()).isEqualTo(8404);
        assertThat(d.roFallbackToPrimary()).isTrue();
        assertThat(d.toBuilder().build()).isEqualTo(d);
    }

    @Test
    void nonsenseSettingsAreRejectedWithTheFieldName() {
        assertThatThrownBy(() -> ProxySettings.builder().writeWaterMarks(100, 10).build())
                .hasMessageContaining("writeLowWaterMark");
        assertThatThrownBy(() -> ProxySettings.builder().holdTimeout(Duration.ZERO).build())
                .hasMessageContaining("holdTimeout");
        assertThatThrownBy(() -> ProxySettings.builder().maxConnections(0).build())
                .hasMessageContaining("maxConnections");
    }

    @Test
    void theConfirmationCheckRunsOftenEnoughButNotTooOften() {
        assertThat(PgProxy.checkPeriod(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
        assertThat(PgProxy.checkPeriod(Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(100));
        assertThat(PgProxy.checkPeriod(Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void beforeTheFirstTableBothListenersRefuse() throws Exception {
        start(settings().build());
        assertThat(rw().sendStartup().readError()).startsWith("57P03 pgha: no primary available");
        assertThat(ro().sendStartup().readError()).isEqualTo("57P03 pgha: no replica available");
        assertThat(proxy.stats().generation()).isZero();
    }

    @Test
    void aPortInUseFailsStartWithTheListenerNamedAndLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PgProxy p = keep(new PgProxy(settings().ports(0, taken.getLocalPort(), -1).build()));
            assertThatThrownBy(p::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("ro listener").hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThatThrownBy(() -> p.address(Listener.RW)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeEndsEverySession() throws Exception {
        FakePostgres n1 = echo("n1");
        start(settings().build()).update(table(1, n1.primary()));
        PgClient c = rw();
        assertThat(c.startup()).isEqualTo("n1");
        proxy.close();
        assertThat(c.closedByPeer()).isTrue();
        Await.until("the backend connection is closed", () -> n1.openConnections() == 0);
        proxy.close();
    }
}
