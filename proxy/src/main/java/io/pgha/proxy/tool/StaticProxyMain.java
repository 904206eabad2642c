package io.pgha.proxy.tool;

import io.pgha.proxy.Backend;
import io.pgha.proxy.Listener;
import io.pgha.proxy.PgProxy;
import io.pgha.proxy.ProxySettings;
import io.pgha.proxy.RoutingTable;
import io.pgha.proxy.net.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link PgProxy} with a fixed routing table given on the command line, until SIGTERM/SIGINT. For benchmarks and
 * manual tests without an HA agent: the table is confirmed every second, as an agent would, so RW never fails closed.
 *
 * <pre>
 * java -cp pgha.jar io.pgha.proxy.tool.StaticProxyMain --listen 127.0.0.1 --rw-port 16433 \
 *     --rw-backend 127.0.0.1:16432 [--ro-port 16434] [--ro-backend host:port]... [--stats-port 16435]
 * </pre>
 *
 * <p>Ports default to 0 (ephemeral) for RO and -1 (off) for stats. It prints one line {@code ready rw=P ro=P} to
 * stdout once the listeners are bound.
 */
public final class StaticProxyMain {
    private StaticProxyMain() {
    }

    /** Parsed command line. */
    record Args(String listen, int rwPort, int roPort, int statsPort, Backend rw, List<Backend> ro) {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: StaticProxyMain --rw-backend host:port [--listen addr] [--rw-port p]"
                    + " [--ro-port p] [--ro-backend host:port]... [--stats-port p]");
            System.exit(2);
            return;
        }
        PgProxy proxy = new PgProxy(ProxySettings.builder().listenAddress(a.listen())
                .ports(a.rwPort(), a.roPort(), a.statsPort()).build());
        proxy.start();
        proxy.update(RoutingTable.of(1, a.rw(), a.ro(), Instant.now()));
        ScheduledExecutorService confirmer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "static-confirm");
            t.setDaemon(true);
            return t;
        });
        confirmer.scheduleAtFixedRate(() -> proxy.confirm(Instant.now()), 1, 1, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            confirmer.shutdownNow();
            proxy.close();
            stopped.countDown();
        }, "static-proxy-shutdown"));
        System.out.println("ready rw=" + proxy.address(Listener.RW).getPort() + " ro="
                + proxy.address(Listener.RO).getPort() + " transport=" + (Transport.best().epoll() ? "epoll" : "nio")
                + " cpus=" + Runtime.getRuntime().availableProcessors());
        System.out.flush();
        stopped.await();
    }

    static Args parse(String[] argv) {
        String listen = "127.0.0.1";
        int rwPort = 0;
        int roPort = 0;
        int statsPort = -1;
        Backend rw = null;
        List<Backend> ro = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String opt = argv[i];
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("missing value for " + opt);
            }
            String v = argv[++i];
            switch (opt) {
                case "--listen" -> listen = v;
                case "--rw-port" -> rwPort = port(v);
                case "--ro-port" -> roPort = port(v);
                case "--stats-port" -> statsPort = Integer.parseInt(v);
                case "--rw-backend" -> rw = backend("primary", v, true);
                case "--ro-backend" -> ro.add(backend("replica" + (ro.size() + 1), v, false));
                default -> throw new IllegalArgumentException("unknown option " + opt);
            }
        }
        if (rw == null) {
            throw new IllegalArgumentException("--rw-backend is required");
        }
        return new Args(listen, rwPort, roPort, statsPort, rw, List.copyOf(ro));
    }

    private static int port(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + v, e);
        }
    }

    private static Backend backend(String member, String hostPort, boolean primary) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        int p = port(hostPort.substring(colon + 1));
        return primary ? Backend.primary(member, host, p) : Backend.replica(member, host, p, 0);
    }
}
