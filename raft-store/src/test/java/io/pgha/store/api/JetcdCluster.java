package io.pgha.store.api;

import io.pgha.store.apply.MvccStoreState;
import io.pgha.store.raft.RaftStoreConfig;
import io.pgha.store.raft.RaftStoreNode;
import io.pgha.store.raft.RatisKvStore;
import io.pgha.store.raft.RatisStoreCluster;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Three Ratis store members with one etcd API server each, member {@code i} on its own loopback address
 * 127.0.0.10i (Raft and client port). Members can be stopped one by one.
 */
final class JetcdCluster implements AutoCloseable {
    private static final RaftStoreConfig.Timeouts FAST =
            new RaftStoreConfig.Timeouts(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofSeconds(8));

    private final Path root;
    private final List<RatisKvStore> stores = new ArrayList<>();
    private final List<EtcdApiServer> servers = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private final boolean[] stopped = new boolean[3];

    JetcdCluster() throws Exception {
        root = Files.createTempDirectory("pgha-jetcd-cluster");
        List<RaftStoreConfig.Peer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String host = host(i);
            peers.add(new RaftStoreConfig.Peer("m" + i, host + ":" + freePort(host)));
        }
        for (RaftStoreConfig.Peer p : peers) {
            RaftStoreConfig config = RaftStoreConfig.of("jetcd-it", p.name(), p.address(), root.resolve(p.name()),
                    peers).withTimeouts(FAST);
            stores.add(new RatisKvStore(RaftStoreNode.start(config, new MvccStoreState())));
        }
        for (int i = 0; i < 3; i++) {
            RatisStoreCluster cluster = new RatisStoreCluster(stores.get(i));
            EtcdApiServer server = new EtcdApiServer(stores.get(i), cluster, host(i + 1), 0);
            server.start();
            servers.add(server);
            String url = "http://" + host(i + 1) + ":" + server.port();
            urls.add(url);
            await("client URL of m" + (i + 1) + " published", () -> {
                try {
                    cluster.publishClientUrls(List.of(url)).get(10, TimeUnit.SECONDS);
                    return true;
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    private static String host(int member) {
        return "127.0.0.10" + member;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(50); // polling interval of a bounded wait, not a timing assumption
        }
    }

    String url(int index) {
        return urls.get(index);
    }

    RatisKvStore store(int index) {
        return stores.get(index);
    }

    /** Index of the running member that leads with its lease clock promoted, waiting for one. */
    int awaitLeader() throws InterruptedException {
        int[] found = {-1};
        await("a leader", () -> {
            for (int i = 0; i < 3; i++) {
                if (!stopped[i] && stores.get(i).node().isLeader() && stores.get(i).node().leases().isLeader()) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Stops a member's API server and store, as a crash of that member would. */
    void stop(int index) {
        stopped[index] = true;
        servers.get(index).close();
        stores.get(index).close();
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < 3; i++) {
            if (!stopped[i]) {
                stop(i);
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
