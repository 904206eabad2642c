package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients connecting while the primary changes: every session is accounted for and nothing leaks. */
class PgProxyChurnTcpTest extends TcpFixture {
    private static final int CLIENTS = 60;

    @Test
    void sessionCountsReturnToZeroAfterChurnAcrossALeaderChange() throws Exception {
        FakePostgres n1 = echo("n1");
        FakePostgres n2 = echo("n2");
        FakePostgres n3 = echo("n3");
        start(settings().build()).update(table(1, n1.primary(), n2.replica(0), n3.replica(0)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                boolean writer = i % 2 == 0;
                results.add(pool.submit(() -> {
                    try (PgClient c = PgClient.connect(proxy.address(writer ? Listener.RW : Listener.RO))) {
                        String name = c.startup();
                        return c.echo("x").equals("x") ? name : "garbled";
                    } catch (java.io.IOException e) {
                        return "closed";
                    }
                }));
                if (i == CLIENTS / 2) {
                    proxy.update(table(2, n2.primary(), n3.replica(0)));
                }
            }
            for (Future<String> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isIn("n1", "n2", "n3", "closed");
            }
        } finally {
            pool.shutdownNow();
        }
        Await.until("every session is closed and counted out", () -> {
            ProxyStats s = proxy.stats();
            return s.listener(Listener.RW).current() == 0 && s.listener(Listener.RO).current() == 0
                    && s.backends().stream().allMatch(b -> b.current() == 0);
        });
        ProxyStats s = proxy.stats();
        assertThat(s.listener(Listener.RW).total() + s.listener(Listener.RO).total()).isEqualTo(CLIENTS);
        Await.until("no backend connection is left open",
                () -> n1.openConnections() + n2.openConnections() + n3.openConnections() == 0);
    }
}
