package io.pgha.proxy.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.pgha.proxy.Backend;
import io.pgha.proxy.Listener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection as the {@link Switchboard} sees it: which listener, which backend it was routed to, and how
 * to close or release it from another thread.
 *
 * <p>{@code backend} and {@code counters} are written only under the switchboard's lock (at routing time), which is
 * what guarantees that a table change sees every session to the old primary.
 */
public final class Session {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Listener listener;
    private final Channel client;
    private final Runnable onRelease;
    private volatile Channel server;
    private volatile ConnState state = new ConnState.AwaitingStartup();
    Backend backend;
    BackendCounters counters;
    boolean admitted;

    /**
     * @param onRelease called (on any thread) when a held session may be routed again; must hop to the client's
     *                  event loop itself
     */
    public Session(Listener listener, Channel client, Runnable onRelease) {
        this.listener = listener;
        this.client = client;
        this.onRelease = onRelease;
    }

    public long id() {
        return id;
    }

    public Listener listener() {
        return listener;
    }

    public Channel client() {
        return client;
    }

    Channel server() {
        return server;
    }

    void server(Channel channel) {
        server = channel;
    }

    public ConnState state() {
        return state;
    }

    void state(ConnState newState) {
        state = newState;
    }

    void release() {
        onRelease.run();
    }

    /**
     * Closes both sides now, without flushing what is pending: used when the backend must not receive another byte
     * (the old primary after a leader change, RW after failing closed). Safe from any thread.
     */
    CompletableFuture<Void> closeNow() {
        Channel s = server;
        CompletableFuture<Void> done = new CompletableFuture<>();
        ChannelFuture serverClosed = s == null ? client.newSucceededFuture() : s.close();
        client.close().addListener(c -> serverClosed.addListener(x -> done.complete(null)));
        return done;
    }

    /** Bytes waiting in both channels' outbound buffers. */
    long pendingWriteBytes() {
        return Channels.pendingWriteBytes(client) + Channels.pendingWriteBytes(server);
    }

    /** {@code #id rw from /addr}, for logs. */
    public String describe() {
        return "#" + id + " " + listener.label() + " from " + client.remoteAddress();
    }
}
