package io.pgha.proxy.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.pgha.proxy.Backend;
import io.pgha.proxy.ProxySettings;

/** Connects backends over TCP on the client channel's own event loop. */
public final class NettyConnector implements Connector {
    private final Transport transport;
    private final ProxySettings settings;

    public NettyConnector(Transport transport, ProxySettings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    @Override
    public ChannelFuture connect(Channel client, Backend backend, ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(transport.socketChannel()).handler(handler);
        transport.configure(b, settings);
        return b.connect(backend.host(), backend.port());
    }
}
