package io.pgha.proxy.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgha.proxy.Backend;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

/** Hands out an {@link EmbeddedChannel} per backend connection and remembers where each one went. */
final class FakeConnector implements Connector {
    record Connection(Backend backend, EmbeddedChannel channel) {
    }

    final List<Connection> connections = new ArrayList<>();
    boolean refuse;

    @Override
    public ChannelFuture connect(Channel client, Backend backend, ChannelHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        connections.add(new Connection(backend, ch));
        if (refuse) {
            return ch.newFailedFuture(new ConnectException("connection refused (fake)"));
        }
        return ch.newSucceededFuture();
    }

    Connection last() {
        return connections.get(connections.size() - 1);
    }
}
