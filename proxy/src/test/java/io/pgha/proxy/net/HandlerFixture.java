package io.pgha.proxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgha.proxy.Backend;
import io.pgha.proxy.Listener;
import io.pgha.proxy.ProxySettings;
import io.pgha.proxy.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A switchboard with a hand-moved clock, a fake connector, and embedded client channels. */
class HandlerFixture {
    static final Backend N1 = Backend.primary("n1", "10.0.0.1", 5442);
    static final Backend N2 = Backend.replica("n2", "10.0.0.2", 5442, 0);
    static final Backend N3 = Backend.replica("n3", "10.0.0.3", 5442, 0);
    static final Backend N2_PRIMARY = Backend.primary("n2", "10.0.0.2", 5442);
    static final Duration HOLD = Duration.ofSeconds(5);
    static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    static final Duration HANDSHAKE = Duration.ofSeconds(10);

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ProxySettings settings = ProxySettings.builder().ports(0, 0, -1).maxConnections(3).holdTimeout(HOLD)
            .leaderConfirmTimeout(CONFIRM_TIMEOUT).handshakeTimeout(HANDSHAKE).build();
    final Switchboard board = new Switchboard(settings, clock);
    final FakeConnector connector = new FakeConnector();

    RoutingTable table(long gen, Backend rw, Backend... ro) {
        return new RoutingTable(gen, Optional.ofNullable(rw), List.of(ro), false, clock.instant());
    }

    RoutingTable holding(long gen, Backend rw, Backend... ro) {
        return new RoutingTable(gen, Optional.ofNullable(rw), List.of(ro), true, clock.instant());
    }

    EmbeddedChannel client(Listener l) {
        return new EmbeddedChannel(new FrontendHandler(l, board, connector, HANDSHAKE, HOLD));
    }

    /** A client that has sent its StartupMessage. */
    EmbeddedChannel started(Listener l) {
        EmbeddedChannel ch = client(l);
        ch.writeInbound(PgWire.startup("app"));
        return ch;
    }

    static FrontendHandler handler(EmbeddedChannel ch) {
        return ch.pipeline().get(FrontendHandler.class);
    }

    static ConnState state(EmbeddedChannel ch) {
        return handler(ch).session().state();
    }

    /** Asserts the client got a FATAL ErrorResponse with {@code sqlState} and was closed; returns the message. */
    static String assertRefused(EmbeddedChannel ch, String sqlState) {
        ch.runPendingTasks();
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("an ErrorResponse").isNotNull();
        try {
            assertThat(PgWire.sqlState(out)).isEqualTo(sqlState);
            assertThat(PgWire.field(out, 'S')).isEqualTo("FATAL");
            assertThat(ch.isActive()).as("closed after the ErrorResponse").isFalse();
            return PgWire.field(out, 'M');
        } finally {
            out.release();
        }
    }

    /** The bytes a backend channel received, as one array; releases them. */
    static byte[] received(EmbeddedChannel backend) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (ByteBuf b = backend.readOutbound(); b != null; b = backend.readOutbound()) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            all.writeBytes(bytes);
            b.release();
        }
        return all.toByteArray();
    }
}
