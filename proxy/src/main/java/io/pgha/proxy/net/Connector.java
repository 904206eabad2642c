package io.pgha.proxy.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.pgha.proxy.Backend;

/** Opens the backend side of a session. The real one uses a Bootstrap; tests hand out embedded channels. */
public interface Connector {

    /**
     * Starts connecting to {@code backend}. Must use {@code client.eventLoop()} so that both sides of a session share
     * one thread and the handlers need no locks.
     *
     * @param handler the handler of the new channel ({@link BackendHandler})
     * @return the connect future; its channel is the backend channel, even before the connection completes
     */
    ChannelFuture connect(Channel client, Backend backend, ChannelHandler handler);
}
