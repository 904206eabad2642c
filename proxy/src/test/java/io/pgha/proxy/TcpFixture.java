package io.pgha.proxy;

import io.pgha.proxy.net.MutableClock;
import io.pgha.proxy.net.Transport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** A real proxy on loopback ephemeral ports, fake backends, and clean-up of everything a test opened. */
abstract class TcpFixture {
    final MutableClock clock = new MutableClock(Instant.now());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    PgProxy proxy;

    ProxySettings.Builder settings() {
        return ProxySettings.builder().listenAddress("127.0.0.1").ports(0, 0, 0)
                .leaderConfirmTimeout(Duration.ofSeconds(30)).holdTimeout(Duration.ofSeconds(20));
    }

    PgProxy start(ProxySettings s) {
        proxy = new PgProxy(s, clock, Transport.best());
        closeables.add(proxy);
        proxy.start();
        return proxy;
    }

    FakePostgres echo(String name) {
        return keep(FakePostgres.echo(name));
    }

    <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    PgClient rw() throws IOException {
        return keep(PgClient.connect(proxy.address(Listener.RW)));
    }

    PgClient ro() throws IOException {
        return keep(PgClient.connect(proxy.address(Listener.RO)));
    }

    RoutingTable table(long gen, Backend rw, Backend... ro) {
        return new RoutingTable(gen, Optional.ofNullable(rw), List.of(ro), false, clock.instant());
    }

    RoutingTable holding(long gen) {
        return new RoutingTable(gen, Optional.empty(), List.of(), true, clock.instant());
    }

    long current(String member, Listener l) {
        return proxy.stats().backend(member).map(b -> b.current(l)).orElse(0L);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }
}
