package io.pgha.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.pgha.proxy.net.FrontendHandler;
import io.pgha.proxy.net.NettyConnector;
import io.pgha.proxy.net.Switchboard;
import io.pgha.proxy.net.Transport;
import io.pgha.proxy.stats.StatsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy of one node: RW and RO listeners plus the stats page, routing by the table the agent pushes in.
 *
 * <p>Lifecycle: construct, {@link #start()}, then push tables with {@link #update(RoutingTable)} and heartbeats with
 * {@link #confirm(Instant)} from any thread, {@link #close()} at the end. Until the first table arrives RW and RO
 * refuse every connection ({@code 57P03}), so starting the proxy before the agent knows the cluster is safe.
 *
 * <pre>{@code
 * PgProxy proxy = new PgProxy(ProxySettings.builder().leaderConfirmTimeout(ttl).build());
 * proxy.start();
 * // every HA cycle, after reading the leader key and the members from the store:
 * proxy.update(new RoutingTable(gen++, Optional.of(Backend.primary("n1", "10.0.0.1", 5442)),
 *         List.of(Backend.replica("n2", "10.0.0.2", 5442, lagBytes)), switchoverInProgress, readSentAt));
 * // or, when nothing changed but the store answered:
 * proxy.confirm(readSentAt);
 * }</pre>
 */
public final class PgProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgProxy.class);

    private final ProxySettings settings;
    private final Transport transport;
    private final Switchboard board;
    private final Map<Listener, Channel> listeners = new EnumMap<>(Listener.class);
    /** Bound ports, published once started, read by the stats thread. */
    private volatile Map<Listener, Integer> ports = Map.of();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private volatile StatsServer statsServer;

    public PgProxy(ProxySettings settings) {
        this(settings, Clock.systemUTC(), Transport.best());
    }

    /** With an explicit clock (for the leader confirmation timeout) and transport. */
    public PgProxy(ProxySettings settings, Clock clock, Transport transport) {
        this.settings = settings;
        this.transport = transport;
        this.board = new Switchboard(settings, clock);
    }

    /**
     * Binds the listeners and starts the periodic leader-confirmation check.
     *
     * @throws UncheckedIOException when a port cannot be bound (nothing stays bound then)
     */
    public synchronized void start() {
        if (boss != null) {
            throw new IllegalStateException("already started");
        }
        boss = transport.newGroup(1, "pgha-proxy-accept");
        workers = transport.newGroup(Math.max(2, Runtime.getRuntime().availableProcessors()), "pgha-proxy");
        try {
            bind(Listener.RW, settings.rwPort());
            bind(Listener.RO, settings.roPort());
            Map<Listener, Integer> bound = new EnumMap<>(Listener.class);
            listeners.forEach((l, ch) -> bound.put(l, ((InetSocketAddress) ch.localAddress()).getPort()));
            ports = Map.copyOf(bound);
            if (settings.statsPort() >= 0) {
                startStats();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        long period = checkPeriod(settings.leaderConfirmTimeout()).toMillis();
        workers.next().scheduleAtFixedRate(board::checkLeaderConfirmation, period, period, TimeUnit.MILLISECONDS);
        LOG.info("proxy started ({}): rw {}, ro {}, stats {}", transport.epoll() ? "epoll" : "nio",
                address(Listener.RW), address(Listener.RO), statsAddress().map(Object::toString).orElse("off"));
    }

    private void bind(Listener l, int port) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrontendHandler(l, board, new NettyConnector(transport, settings),
                                settings.handshakeTimeout(), settings.holdTimeout()));
                    }
                });
        transport.configure(b, settings);
        ChannelFuture bound = b.bind(settings.listenAddress(), port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind the " + l.label() + " listener to " + settings.listenAddress() + ":"
                    + port + ": " + bound.cause().getMessage(), bound.cause());
        }
        listeners.put(l, bound.channel());
    }

    private void startStats() throws IOException {
        try {
            statsServer = StatsServer.start(new InetSocketAddress(settings.listenAddress(), settings.statsPort()),
                    this::stats);
        } catch (IOException e) {
            throw new IOException("cannot bind the stats listener to " + settings.listenAddress() + ":"
                    + settings.statsPort() + ": " + e.getMessage(), e);
        }
    }

    /** A quarter of the timeout, so RW fails closed at most 25% late, but never busier than every 10 ms. */
    static Duration checkPeriod(Duration leaderConfirmTimeout) {
        Duration quarter = leaderConfirmTimeout.dividedBy(4);
        Duration atMost = quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
        return atMost.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : atMost;
    }

    /**
     * Installs a routing table (see {@link io.pgha.proxy.net.Switchboard#update}): if its primary differs from the
     * previous one, every session to the old primary is closed before this returns; held RW connections are released
     * when it names a primary and no longer holds. Tables older than the one in force are ignored.
     *
     * @return whether it was installed, how many sessions it closed, and a future of their closing
     */
    public TableUpdate update(RoutingTable table) {
        return board.update(table);
    }

    /**
     * The store still confirms the leader of the current table, as of {@code at} (the time the confirming read was
     * sent, so that delays count against the timeout). RW fails closed when the newest confirmation is older than
     * {@code leaderConfirmTimeout}; a later confirmation reopens it. RO is never affected.
     */
    public void confirm(Instant at) {
        board.confirm(at);
    }

    /** A snapshot of the state and counters. */
    public ProxyStats stats() {
        return board.stats(ports);
    }

    /** The bound address of a listener (useful with port 0). */
    public InetSocketAddress address(Listener l) {
        Integer port = ports.get(l);
        if (port == null) {
            throw new IllegalStateException("not started");
        }
        return new InetSocketAddress(settings.listenAddress(), port);
    }

    /** The bound address of the stats listener, if enabled. */
    public Optional<InetSocketAddress> statsAddress() {
        return Optional.ofNullable(statsServer).map(StatsServer::address);
    }

    /** Stops listening and closes every session. Idempotent; blocks until the event loops have stopped. */
    @Override
    public synchronized void close() {
        if (statsServer != null) {
            statsServer.close();
            statsServer = null;
        }
        listeners.values().forEach(Channel::close);
        listeners.clear();
        ports = Map.of();
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            boss = null;
            workers = null;
        }
    }
}
