package io.pgha.proxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgha.proxy.Listener;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Input hygiene, limits, buffer ownership and backpressure, with the handlers on embedded channels. */
class FrontendHandlerHygieneTest extends HandlerFixture {

    @Test
    void anHttpRequestClosesOnlyThatConnectionAndItsBytesAreReleased() {
        board.update(table(1, N1));
        EmbeddedChannel good = started(Listener.RW);
        EmbeddedChannel bad = client(Listener.RW);
        ByteBuf http = Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: db\r\n\r\n", StandardCharsets.US_ASCII);

        bad.writeInbound(http);

        assertThat(bad.isActive()).isFalse();
        assertThat(bad.<Object>readOutbound()).as("nothing is sent back to a non-PostgreSQL client").isNull();
        assertThat(http.refCnt()).isZero();
        assertThat(good.isActive()).isTrue();
        assertThat(connector.connections).hasSize(1);
        assertThat(board.stats(Map.of()).listener(Listener.RW).refused()).isEqualTo(1);
    }

    @Test
    void anAbsurdLengthIsNotBuffered() {
        board.update(table(1, N1));
        EmbeddedChannel bad = client(Listener.RW);
        ByteBuf huge = Unpooled.buffer().writeInt(1 << 30).writeInt(196608);
        bad.writeInbound(huge);
        assertThat(bad.isActive()).isFalse();
        assertThat(huge.refCnt()).isZero();
    }

    @Test
    void aStartupMessageSplitAcrossReadsIsJoinedAndForwardedWhole() {
        board.update(table(1, N1));
        EmbeddedChannel client = client(Listener.RW);
        byte[] startup = PgWire.startupBytes("app");
        ByteBuf first = Unpooled.wrappedBuffer(startup, 0, 5);
        client.writeInbound(first);
        assertThat(connector.connections).isEmpty();
        client.writeInbound(Unpooled.wrappedBuffer(startup, 5, startup.length - 5));

        assertThat(received(connector.last().channel())).isEqualTo(startup);
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void aClientLeavingMidHandshakeClosesOnlyItsOwnSession() {
        board.update(table(1, N1));
        EmbeddedChannel good = started(Listener.RW);
        EmbeddedChannel leaving = client(Listener.RW);
        ByteBuf partial = Unpooled.buffer().writeInt(40);
        leaving.writeInbound(partial);

        leaving.close();

        assertThat(partial.refCnt()).isZero();
        assertThat(good.isActive()).isTrue();
        assertThat(board.stats(Map.of()).listener(Listener.RW).current()).isEqualTo(1);
    }

    @Test
    void aSilentClientIsClosedAfterTheHandshakeTimeout() {
        board.update(table(1, N1));
        EmbeddedChannel silent = client(Listener.RW);
        silent.advanceTimeBy(HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
        silent.runScheduledPendingTasks();
        assertThat(silent.isActive()).isFalse();
    }

    @Test
    void sslAndCancelRequestsAreForwardedUntouched() {
        board.update(table(1, N1));
        EmbeddedChannel ssl = client(Listener.RW);
        ssl.writeInbound(Unpooled.buffer().writeInt(8).writeInt(80877103));
        assertThat(received(connector.last().channel())).containsExactly(0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f);
        // Everything after SSLRequest (a TLS ClientHello here) is passed on as it comes.
        ssl.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03, 0x01}));
        ssl.runPendingTasks();
        assertThat(received(connector.last().channel())).containsExactly(0x16, 0x03, 0x01);

        EmbeddedChannel cancel = client(Listener.RW);
        cancel.writeInbound(Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(123).writeInt(456));
        assertThat(received(connector.last().channel())).hasSize(16);
    }

    @Test
    void anRoCancelRequestIsRelayedToEveryServingBackend() {
        board.update(table(1, N1, N2, N3, N2.withState(io.pgha.proxy.BackendState.STOPPED)));
        EmbeddedChannel cancel = client(Listener.RO);
        ByteBuf request = Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(123).writeInt(456);
        cancel.writeInbound(request);

        assertThat(connector.connections).extracting(c -> c.backend().member()).containsExactly("n2", "n3", "n1");
        for (FakeConnector.Connection c : connector.connections) {
            assertThat(received(c.channel())).hasSize(16);
            assertThat(c.channel().isActive()).as("closed once the request is sent").isFalse();
        }
        assertThat(cancel.isActive()).isFalse();
        assertThat(request.refCnt()).isZero();
        assertThat(board.stats(Map.of()).backend("n2").orElseThrow().total()).as("not counted as sessions").isZero();
    }

    @Test
    void aRefusedCancelRequestGetsNoErrorResponse() {
        EmbeddedChannel cancel = client(Listener.RW);
        cancel.writeInbound(Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(123).writeInt(456));
        assertThat(cancel.isActive()).isFalse();
        assertThat(cancel.<Object>readOutbound()).isNull();
    }

    @Test
    void connectionsOverTheListenerLimitAreRefusedWithTooManyConnections() {
        board.update(table(1, N1, N2));
        for (int i = 0; i < settings.maxConnections(); i++) {
            started(Listener.RW);
        }
        String message = assertRefused(started(Listener.RW), "53300");
        assertThat(message).isEqualTo("too many connections for pgha proxy listener rw");
        assertThat(board.stats(Map.of()).listener(Listener.RW).refused()).isEqualTo(1);
        started(Listener.RO);
        assertThat(connector.last().backend()).as("each listener has its own limit").isEqualTo(N2);
    }

    @Test
    void aRefusedSslRequestIsDeclinedSoThatTheErrorAnswersTheStartupMessage() {
        board.update(table(1, null));
        EmbeddedChannel ssl = client(Listener.RW);
        ssl.writeInbound(Unpooled.buffer().writeInt(8).writeInt(80877103));

        ByteBuf no = ssl.readOutbound();
        assertThat(no.readableBytes()).isEqualTo(1);
        assertThat(no.readByte()).isEqualTo((byte) 'N');
        no.release();
        assertThat(ssl.isActive()).as("waits for the StartupMessage in clear").isTrue();

        ssl.writeInbound(PgWire.startup("app"));
        assertThat(assertRefused(ssl, "57P03")).isEqualTo("pgha: no primary available");
        assertThat(connector.connections).isEmpty();
        assertThat(board.stats(Map.of()).listener(Listener.RW).refused()).isEqualTo(1);
    }

    @Test
    void anUnreachableBackendIsReportedToTheClient() {
        board.update(table(1, N1));
        connector.refuse = true;
        EmbeddedChannel client = started(Listener.RW);
        assertThat(assertRefused(client, "57P03")).isEqualTo("pgha: cannot connect to n1");
        assertThat(board.stats(Map.of()).backend("n1").orElseThrow().current()).isZero();
    }

    @Test
    void bytesArrivingWhileHeldAreReleased() {
        board.update(holding(1, null));
        EmbeddedChannel client = started(Listener.RW);
        ByteBuf extra = Unpooled.buffer().writeLong(42);
        client.writeInbound(extra);
        assertThat(extra.refCnt()).isZero();
        client.close();
    }

    @Test
    void bytesFromTheBackendAfterTheClientLeftAreReleased() {
        EmbeddedChannel gone = new EmbeddedChannel();
        gone.close();
        Session session = new Session(Listener.RW, gone, () -> { });
        EmbeddedChannel backend = new EmbeddedChannel(new BackendHandler(gone, session, board));
        ByteBuf late = Unpooled.buffer().writeLong(42);
        backend.writeInbound(late);
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void theBackendIsClosedWhenTheClientLeaves() {
        board.update(table(1, N1));
        EmbeddedChannel client = started(Listener.RW);
        EmbeddedChannel backend = connector.last().channel();
        client.close();
        backend.runPendingTasks();
        assertThat(backend.isActive()).isFalse();
        assertThat(board.stats(Map.of()).backend("n1").orElseThrow().current()).isZero();
    }

    @Test
    void backpressureTogglesThePeersAutoRead() {
        board.update(table(1, N1));
        EmbeddedChannel client = started(Listener.RW);
        EmbeddedChannel backend = connector.last().channel();
        client.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        backend.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));

        // Postgres sends faster than the client reads: stop reading Postgres.
        backend.writeOneInbound(Unpooled.buffer().writeZero(64));
        assertThat(client.isWritable()).isFalse();
        assertThat(backend.config().isAutoRead()).isFalse();
        client.flush();
        client.runPendingTasks();
        assertThat(client.isWritable()).isTrue();
        assertThat(backend.config().isAutoRead()).isTrue();

        // The client sends faster than Postgres takes it: stop reading the client.
        client.writeOneInbound(Unpooled.buffer().writeZero(64));
        assertThat(backend.isWritable()).isFalse();
        assertThat(client.config().isAutoRead()).isFalse();
        backend.flush();
        backend.runPendingTasks();
        assertThat(client.config().isAutoRead()).isTrue();

        assertThat(board.stats(Map.of()).backpressurePauses()).isEqualTo(2);
        // 64 bytes plus Netty's per-entry overhead: the queue never held more than one message.
        assertThat(board.stats(Map.of()).maxPendingWriteBytes()).isBetween(64L, 256L);
        received(backend);
        for (Object o = client.readOutbound(); o != null; o = client.readOutbound()) {
            ((ByteBuf) o).release();
        }
    }

    @Test
    void bytesAreCountedPerBackendAndDirection() {
        board.update(table(1, N1));
        EmbeddedChannel client = started(Listener.RW);
        EmbeddedChannel backend = connector.last().channel();
        backend.writeInbound(Unpooled.buffer().writeZero(100));
        client.writeInbound(Unpooled.buffer().writeZero(10));
        var n1 = board.stats(Map.of()).backend("n1").orElseThrow();
        assertThat(n1.bytesFromBackend()).isEqualTo(100);
        assertThat(n1.bytesToBackend()).isEqualTo(PgWire.startupBytes("app").length + 10);
        received(backend);
        ((ByteBuf) client.readOutbound()).release();
    }
}
