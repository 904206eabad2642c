package io.pgha.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Just enough of a Postgres server for the proxy: on the first bytes of a connection it answers its name and a
 * newline, then echoes; or, in flood mode, it sends a fixed number of bytes as fast as TCP lets it.
 */
final class FakePostgres implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK));

    final String name;
    private final long floodBytes;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong flooded = new AtomicLong();
    private final Channel server;

    private FakePostgres(String name, long floodBytes) {
        this.name = name;
        this.floodBytes = floodBytes;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        open.add(ch);
                        ch.pipeline().addLast(new Conversation());
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    static FakePostgres echo(String name) {
        return new FakePostgres(name, 0);
    }

    static FakePostgres flood(String name, long bytes) {
        return new FakePostgres(name, bytes);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    Backend primary() {
        return Backend.primary(name, "127.0.0.1", port());
    }

    Backend replica(long lagBytes) {
        return Backend.replica(name, "127.0.0.1", port(), lagBytes);
    }

    int accepted() {
        return accepted.get();
    }

    int openConnections() {
        return open.size();
    }

    long flooded() {
        return flooded.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        open.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Conversation extends ChannelInboundHandlerAdapter {
        private boolean greeted;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (greeted) {
                if (floodBytes > 0) {
                    ReferenceCountUtil.release(msg);
                } else {
                    ctx.writeAndFlush(msg);
                }
                return;
            }
            greeted = true;
            ReferenceCountUtil.release(msg);
            if (floodBytes > 0) {
                pump(ctx);
            } else {
                ctx.writeAndFlush(Unpooled.copiedBuffer(name + "\n", StandardCharsets.UTF_8));
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (floodBytes > 0 && ctx.channel().isWritable()) {
                pump(ctx);
            }
        }

        private void pump(ChannelHandlerContext ctx) {
            while (ctx.channel().isWritable() && flooded.get() < floodBytes) {
                int n = (int) Math.min(CHUNK, floodBytes - flooded.get());
                ctx.write(ZEROS.retainedSlice(0, n));
                flooded.addAndGet(n);
            }
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
