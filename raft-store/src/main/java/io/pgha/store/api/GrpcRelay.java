package io.pgha.store.api;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Byte relay between a client connection that speaks HTTP/2 and the gRPC server on its internal loopback port. The
 * outbound connection runs on the inbound connection's event loop, so both handlers run on one thread. Backpressure:
 * when one side's outbound buffer is full, the other side stops reading until it drains. Either side closing closes
 * the other after flushing.
 */
final class GrpcRelay {
    private GrpcRelay() {
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The client side; buffers what arrives before the backend connection is up. */
    static final class Frontend extends ChannelInboundHandlerAdapter {
        private final SocketAddress backendAddress;
        private final Queue<Object> pending = new ArrayDeque<>();
        private Channel backend;

        Frontend(SocketAddress backendAddress) {
            this.backendAddress = backendAddress;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            Bootstrap b = new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Backend(inbound));
            b.connect(backendAddress).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    pending.forEach(ReferenceCountUtil::release);
                    pending.clear();
                    inbound.close();
                    return;
                }
                backend = f.channel();
                Object msg;
                while ((msg = pending.poll()) != null) {
                    backend.write(msg);
                }
                backend.flush();
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (backend == null) {
                pending.add(msg);
            } else {
                backend.writeAndFlush(msg);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (backend != null) {
                backend.config().setAutoRead(ctx.channel().isWritable());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.forEach(ReferenceCountUtil::release);
            pending.clear();
            if (backend != null) {
                closeOnFlush(backend);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /** The gRPC server side. */
    private static final class Backend extends ChannelInboundHandlerAdapter {
        private final Channel inbound;

        Backend(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            inbound.writeAndFlush(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            inbound.config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(inbound);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }
}
