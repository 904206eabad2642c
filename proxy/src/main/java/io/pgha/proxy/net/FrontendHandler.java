package io.pgha.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgha.proxy.Backend;
import io.pgha.proxy.Listener;
import io.pgha.proxy.route.Route;
import io.pgha.proxy.route.Router;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one session. With AUTO_READ off it first reads just enough to classify the first packet
 * ({@link StartupPacket}), then routes (connect, hold or refuse), and once the backend is connected forwards both ways
 * with auto-read on and backpressure by water marks. Everything runs on the client's event loop; the switchboard
 * reaches in only through {@link Session#release()} and {@link Session#closeNow()}, both thread-safe.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

    private final Listener listener;
    private final Switchboard board;
    private final Connector connector;
    private final Duration handshakeTimeout;
    private final Duration holdTimeout;
    private Session session;
    private ChannelHandlerContext ctx;
    /** The client's first bytes, kept until the backend is connected; owned by this handler until then. */
    private ByteBuf pending;
    private StartupPacket kind = StartupPacket.NEED_MORE;
    private ScheduledFuture<?> timer;
    /** A refusal waiting for the StartupMessage that follows our 'N' to an SSL or GSSENC request. */
    private Route.Refuse deferred;

    public FrontendHandler(Listener listener, Switchboard board, Connector connector, Duration handshakeTimeout,
                           Duration holdTimeout) {
        this.listener = listener;
        this.board = board;
        this.connector = connector;
        this.handshakeTimeout = handshakeTimeout;
        this.holdTimeout = holdTimeout;
    }

    /** This handler's session (for tests and statistics); null before the channel is active. */
    public Session session() {
        return session;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        Channel ch = ctx.channel();
        session = new Session(listener, ch, () -> ch.eventLoop().execute(this::onReleased));
        // Admit before listening for the close: detach must never run before admit, or the session would leak.
        board.admit(session);
        ch.closeFuture().addListener(f -> board.detach(session));
        timer = ctx.executor().schedule(this::onHandshakeTimeout, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ConnState state = session.state();
        if (state instanceof ConnState.Forwarding) {
            forward((ByteBuf) msg);
        } else if (state instanceof ConnState.AwaitingStartup) {
            accumulate((ByteBuf) msg);
            classify();
        } else {
            // Not asked for (auto-read is off until forwarding); nothing may be lost silently, nor leak.
            ReferenceCountUtil.release(msg);
        }
    }

    private void forward(ByteBuf buf) {
        Channel server = session.server();
        if (server == null || !server.isActive()) {
            buf.release();
            return;
        }
        session.counters.bytesToBackend.add(buf.readableBytes());
        server.write(buf, server.voidPromise());
        board.notePending(Channels.pendingWriteBytes(server));
    }

    private void accumulate(ByteBuf buf) {
        if (pending == null) {
            pending = buf;
        } else {
            ByteBuf joined = ctx.alloc().buffer(pending.readableBytes() + buf.readableBytes());
            joined.writeBytes(pending).writeBytes(buf);
            pending.release();
            buf.release();
            pending = joined;
        }
    }

    private void classify() {
        kind = StartupPacket.classify(pending);
        if (kind == StartupPacket.NEED_MORE) {
            ctx.read();
            return;
        }
        cancelTimer();
        if (deferred != null && kind != StartupPacket.INVALID) {
            refuse(deferred);
            return;
        }
        if (kind == StartupPacket.INVALID) {
            board.refused(session);
            // Once per connection and without the bytes: a port scanner or a misdirected HTTP client is not news.
            LOG.info("session {}: closed, the first bytes are not a PostgreSQL startup packet", session.describe());
            close("not PostgreSQL");
            return;
        }
        if (!session.admitted) {
            LOG.info("session {}: refused, the {} listener is at its limit", session.describe(), listener.label());
            refuse(new Route.Refuse(Router.TOO_MANY_CONNECTIONS,
                    "too many connections for pgha proxy listener " + listener.label()));
            return;
        }
        if (kind == StartupPacket.CANCEL_REQUEST && listener == Listener.RO) {
            relayCancel();
            return;
        }
        route();
    }

    /** An RO cancel goes to every serving backend: only the one that owns the key acts on it. */
    private void relayCancel() {
        List<Backend> targets = board.roCancelTargets();
        for (Backend b : targets) {
            ByteBuf copy = pending.retainedDuplicate();
            connector.connect(ctx.channel(), b, new ChannelInboundHandlerAdapter())
                    .addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            f.channel().writeAndFlush(copy).addListener(ChannelFutureListener.CLOSE);
                        } else {
                            copy.release();
                        }
                    });
        }
        LOG.debug("session {}: cancel request relayed to {} backend(s)", session.describe(), targets.size());
        close("cancel relayed");
    }

    private void route() {
        Route r = board.route(session);
        if (r instanceof Route.Connect c) {
            connect(c.backend());
        } else if (r instanceof Route.Hold h) {
            session.state(new ConnState.Held(h.why()));
            LOG.debug("session {}: held, {}", session.describe(), h.why());
            timer = ctx.executor().schedule(this::onHoldTimeout, holdTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.info("session {}: refused, {}", session.describe(), ((Route.Refuse) r).message());
            refuse((Route.Refuse) r);
        }
    }

    private void connect(Backend backend) {
        session.state(new ConnState.Connecting(backend));
        Channel client = ctx.channel();
        ChannelFuture f = connector.connect(client, backend, new BackendHandler(client, session, board));
        session.server(f.channel());
        f.addListener((ChannelFutureListener) done -> {
            if (!client.isActive() || !(session.state() instanceof ConnState.Connecting)) {
                // Closed meanwhile: the client left, or a leader change closed the session while it connected.
                done.channel().close();
                return;
            }
            if (!done.isSuccess()) {
                LOG.info("session {}: cannot connect to {}: {}", session.describe(), backend.describe(),
                        done.cause() == null ? "cancelled" : done.cause().toString());
                board.refused(session);
                refuse(new Route.Refuse(Router.CANNOT_CONNECT_NOW, "pgha: cannot connect to " + backend.member()));
                return;
            }
            startForwarding(done.channel(), backend);
        });
    }

    private void startForwarding(Channel server, Backend backend) {
        session.state(new ConnState.Forwarding(backend));
        session.counters.bytesToBackend.add(pending.readableBytes());
        ByteBuf first = pending;
        pending = null;
        server.writeAndFlush(first).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        LOG.debug("session {}: forwarding to {}", session.describe(), backend.describe());
        // From here on the water marks drive reading: auto-read follows the peer's writability.
        ctx.channel().config().setAutoRead(server.isWritable());
    }

    /** The switchboard let a held session go: a new table arrived, RW failed closed, or the hold was lifted. */
    private void onReleased() {
        if (!(session.state() instanceof ConnState.Held) || !ctx.channel().isActive()) {
            return;
        }
        cancelTimer();
        route();
    }

    private void onHoldTimeout() {
        if (session.state() instanceof ConnState.Held && board.unhold(session)) {
            LOG.info("session {}: no primary within the hold timeout {}", session.describe(), holdTimeout);
            board.refused(session);
            refuse(new Route.Refuse(Router.CANNOT_CONNECT_NOW, Router.NO_PRIMARY + " (held " + holdTimeout + ")"));
        }
    }

    private void onHandshakeTimeout() {
        if (session.state() instanceof ConnState.AwaitingStartup) {
            if (deferred == null) {
                board.refused(session);
            }
            LOG.info("session {}: closed, no startup packet within {}", session.describe(), handshakeTimeout);
            close("handshake timeout");
        }
    }

    /**
     * Tells the client why in PostgreSQL's own words, then closes. A cancel request expects no answer. An SSL or
     * GSSENC request is first declined with 'N', because libpq (since the CVE-2024-10977 fixes) will not show an error
     * received during encryption negotiation; it then sends its StartupMessage in clear and gets the error to that.
     */
    private void refuse(Route.Refuse r) {
        releasePending();
        Channel ch = ctx.channel();
        boolean negotiating = kind == StartupPacket.SSL_REQUEST || kind == StartupPacket.GSSENC_REQUEST;
        if (negotiating && deferred == null && ch.isActive()) {
            deferred = r;
            kind = StartupPacket.NEED_MORE;
            session.state(new ConnState.AwaitingStartup());
            ch.writeAndFlush(ch.alloc().buffer(1).writeByte('N'));
            timer = ctx.executor().schedule(this::onHandshakeTimeout, handshakeTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            ctx.read();
            return;
        }
        session.state(new ConnState.Closed(r.message()));
        if (kind == StartupPacket.CANCEL_REQUEST || !ch.isActive()) {
            ch.close();
            return;
        }
        ch.writeAndFlush(ErrorResponse.fatal(ctx.alloc(), r.sqlState(), r.message()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void close(String why) {
        session.state(new ConnState.Closed(why));
        releasePending();
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        Channel server = session.server();
        if (server != null && session.state() instanceof ConnState.Forwarding) {
            server.flush();
        }
    }

    /** The client does not read as fast as Postgres sends: stop reading Postgres until it does. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        Channel server = session.server();
        boolean writable = context.channel().isWritable();
        if (server != null && session.state() instanceof ConnState.Forwarding) {
            server.config().setAutoRead(writable);
            if (!writable) {
                board.notePause();
            }
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (!(session.state() instanceof ConnState.Closed)) {
            session.state(new ConnState.Closed("client closed"));
        }
        cancelTimer();
        releasePending();
        Channels.closeOnFlush(session.server());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("session {}: client side failed: {}", session == null ? "?" : session.describe(), cause.toString());
        context.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        releasePending();
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
