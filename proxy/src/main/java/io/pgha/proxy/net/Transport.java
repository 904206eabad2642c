package io.pgha.proxy.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgha.proxy.ProxySettings;

/**
 * Native epoll where the platform has it, NIO otherwise, and the socket options every proxied connection gets on
 * both sides: TCP_NODELAY (Postgres is request/response), SO_KEEPALIVE with short native timers (a dead peer must
 * not pin a backend session for hours: stolon#323), AUTO_READ off until the session is wired, and write-buffer water
 * marks so that no side buffers more than the high mark before its peer stops reading.
 */
public record Transport(boolean epoll) {
    private static final int KEEPALIVE_IDLE_S = 30;
    private static final int KEEPALIVE_INTERVAL_S = 10;
    private static final int KEEPALIVE_PROBES = 3;

    /** Epoll if the native library loads, else NIO. */
    public static Transport best() {
        return new Transport(Epoll.isAvailable());
    }

    public EventLoopGroup newGroup(int threads, String name) {
        DefaultThreadFactory tf = new DefaultThreadFactory(name, true);
        return epoll ? new EpollEventLoopGroup(threads, tf) : new NioEventLoopGroup(threads, tf);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Client-side options of a listener's accepted channels. */
    public void configure(ServerBootstrap b, ProxySettings s) {
        b.option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(s));
        if (epoll) {
            b.childOption(EpollChannelOption.TCP_KEEPIDLE, KEEPALIVE_IDLE_S)
                    .childOption(EpollChannelOption.TCP_KEEPINTVL, KEEPALIVE_INTERVAL_S)
                    .childOption(EpollChannelOption.TCP_KEEPCNT, KEEPALIVE_PROBES);
        }
    }

    /** Options of backend connections. Auto-read is on: the backend only speaks when spoken to. */
    public void configure(Bootstrap b, ProxySettings s) {
        b.option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) s.connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(s));
        if (epoll) {
            b.option(EpollChannelOption.TCP_KEEPIDLE, KEEPALIVE_IDLE_S)
                    .option(EpollChannelOption.TCP_KEEPINTVL, KEEPALIVE_INTERVAL_S)
                    .option(EpollChannelOption.TCP_KEEPCNT, KEEPALIVE_PROBES);
        }
    }

    private static WriteBufferWaterMark waterMark(ProxySettings s) {
        return new WriteBufferWaterMark(s.writeLowWaterMark(), s.writeHighWaterMark());
    }
}
