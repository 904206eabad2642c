package io.pgha.store.api;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.group.ChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.group.DefaultChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import io.grpc.protobuf.services.HealthStatusManager;
import io.pgha.store.KvStore;
import io.pgha.store.StoreCluster;
import io.pgha.store.api.gateway.HttpGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * etcd v3.4's client API on one port, gRPC and the HTTP/1.1 JSON gateway together, as etcd serves port 2379.
 *
 * <p>Layout: the public port is a small Netty server that sniffs each connection ({@link ProtocolSniffer}); HTTP/2
 * connections are relayed to a grpc-java server bound to an ephemeral loopback port, HTTP/1.1 connections are
 * served by the gateway, which calls the same services over an in-process channel. The services hold no state of
 * their own besides open watch and keep-alive streams.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #port()}; {@link #close()} stops accepting, ends open calls and
 * releases the threads. The store and cluster are not closed: their owner closes them.
 */
public final class EtcdApiServer implements AutoCloseable {
    /** etcd: max request bytes (1.5 MiB) plus gRPC overhead (512 KiB). */
    public static final int MAX_INBOUND_MESSAGE_BYTES = 2 * 1024 * 1024;

    private final String host;
    private final int requestedPort;
    private final List<BindableService> services;
    private final HealthStatusManager health = new HealthStatusManager();
    private final String inProcessName = "pgha-etcd-api-" + UUID.randomUUID();
    /** Open client connections, closed first on {@link #close()}. */
    private final ChannelGroup clients = new DefaultChannelGroup("etcd-api-clients", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup loops;
    private Server grpcServer;
    private Server inProcessServer;
    private ManagedChannel inProcessChannel;
    private Channel listener;

    /**
     * @param host the address to listen on (e.g. "127.0.0.1" or "0.0.0.0")
     * @param port the client port; 0 picks a free one
     */
    public EtcdApiServer(KvStore store, StoreCluster cluster, String host, int port) {
        this.host = host;
        this.requestedPort = port;
        Headers headers = new Headers(store, cluster);
        this.services = List.of(new KvService(store, headers), new WatchService(store, headers),
                new LeaseService(store, headers), new ClusterService(cluster, headers),
                new MaintenanceService(store, cluster, headers), new AuthService(headers),
                health.getHealthService());
    }

    /** Binds the port and starts serving. */
    public synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        NettyServerBuilder grpc = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0)).channelType(NioServerSocketChannel.class).bossEventLoopGroup(loops).workerEventLoopGroup(loops)
                .permitKeepAliveTime(5, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
        InProcessServerBuilder inProcess = InProcessServerBuilder.forName(inProcessName)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
        services.forEach(s -> {
            grpc.addService(s);
            inProcess.addService(s);
        });
        grpcServer = grpc.build().start();
        inProcessServer = inProcess.build().start();
        inProcessChannel = InProcessChannelBuilder.forName(inProcessName).build();
        InetSocketAddress backend = (InetSocketAddress) grpcServer.getListenSockets().get(0);
        ServerBootstrap front = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast(new ProtocolSniffer(backend, () -> new HttpGateway(inProcessChannel)));
                    }
                });
        try {
            listener = front.bind(host, requestedPort).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while binding " + host + ":" + requestedPort, e);
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot bind " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
    }

    /** The bound client port. */
    public synchronized int port() {
        if (listener == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        health.enterTerminalState();
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        // Connections go first, as etcd's grpc Stop closes them: clients then see UNAVAILABLE and move to another
        // member (jetcd resumes a watch only on UNAVAILABLE; the gRPC server's own shutdown would reset each stream
        // with CANCEL, which clients take as final).
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (inProcessChannel != null) {
            inProcessChannel.shutdownNow();
        }
        for (Server s : new Server[] {inProcessServer, grpcServer}) {
            if (s != null) {
                s.shutdownNow();
                awaitQuietly(s);
            }
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void awaitQuietly(Server server) {
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while stopping the gRPC server", e));
        }
    }
}
