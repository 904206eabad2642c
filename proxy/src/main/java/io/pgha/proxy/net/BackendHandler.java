package io.pgha.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend side of one session: relays what Postgres sends to the client. Runs on the client's event loop (see
 * {@link Connector}), so it touches the client channel without locks.
 */
public final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);

    private final Channel client;
    private final Session session;
    private final Switchboard board;

    public BackendHandler(Channel client, Session session, Switchboard board) {
        this.client = client;
        this.session = session;
        this.board = board;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!client.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && session.counters != null) {
            session.counters.bytesFromBackend.add(buf.readableBytes());
        }
        client.write(msg, client.voidPromise());
        board.notePending(Channels.pendingWriteBytes(client));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        client.flush();
    }

    /** Postgres does not take the client's bytes as fast as they come: stop reading the client until it does. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        client.config().setAutoRead(writable);
        if (!writable) {
            board.notePause();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channels.closeOnFlush(client);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("session {}: backend side failed: {}", session.describe(), cause.toString());
        ctx.close();
    }
}
