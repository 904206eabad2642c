package io.pgha.store.raft;

import io.pgha.store.apply.StoreState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Several {@link RatisKvStore} members in this JVM, on 127.0.0.1 with free ports picked at runtime and one data
 * directory each under {@code root}. Members can be stopped, restarted from disk, wiped, or added empty.
 */
final class RaftTestCluster implements AutoCloseable {
    /**
     * Faster elections than production for tests on loopback, but not so fast that a loaded build machine makes
     * leaders flap; production defaults are in {@link RaftStoreConfig.Timeouts}.
     */
    static final RaftStoreConfig.Timeouts FAST =
            new RaftStoreConfig.Timeouts(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofSeconds(8));
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Path root;
    private final Supplier<StoreState> states;
    private final RaftStoreConfig.LogLimits log;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> founders = new ArrayList<>();
    private final Map<String, RatisKvStore> running = new LinkedHashMap<>();
    private LongSupplier nanoClock = System::nanoTime;

    RaftTestCluster(Path root, Supplier<StoreState> states, RaftStoreConfig.LogLimits log) {
        this.root = root;
        this.states = states;
        this.log = log;
    }

    /** Starts a new cluster of members {@code m1..mN}. */
    static RaftTestCluster start(Path root, int size, Supplier<StoreState> states, RaftStoreConfig.LogLimits log) {
        return start(root, size, states, log, System::nanoTime);
    }

    /** As above, with the members' lease clocks on {@code nanoClock}. */
    static RaftTestCluster start(Path root, int size, Supplier<StoreState> states, RaftStoreConfig.LogLimits log,
            LongSupplier nanoClock) {
        RaftTestCluster cluster = new RaftTestCluster(root, states, log);
        cluster.nanoClock = nanoClock;
        for (int i = 1; i <= size; i++) {
            cluster.addresses.put("m" + i, "127.0.0.1:" + freePort());
            cluster.founders.add("m" + i);
        }
        cluster.founders.forEach(cluster::start);
        return cluster;
    }

    /** Starts (or restarts, recovering from its data dir) a member. */
    synchronized RatisKvStore start(String name) {
        List<RaftStoreConfig.Peer> peers = founders.contains(name)
                ? founders.stream().map(n -> new RaftStoreConfig.Peer(n, addresses.get(n))).toList()
                : List.of();
        RaftStoreConfig config = new RaftStoreConfig("test-cluster", name, addresses.get(name), dir(name), peers,
                FAST, log);
        try {
            RatisKvStore store = new RatisKvStore(RaftStoreNode.start(config, states.get(), nanoClock));
            running.put(name, store);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a new, empty member that waits to be added to the group. */
    synchronized RatisKvStore startJoining(String name) {
        addresses.put(name, "127.0.0.1:" + freePort());
        return start(name);
    }

    String address(String name) {
        return addresses.get(name);
    }

    synchronized RatisKvStore get(String name) {
        return running.get(name);
    }

    synchronized List<RatisKvStore> running() {
        return List.copyOf(running.values());
    }

    synchronized void stop(String name) {
        RatisKvStore store = running.remove(name);
        if (store != null) {
            store.close();
        }
    }

    /** Deletes a stopped member's data directory. */
    void wipe(String name) throws IOException {
        try (Stream<Path> files = Files.walk(dir(name))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The running member that is leader with its lease clock promoted. */
    RatisKvStore awaitLeader() {
        return Await.value(WAIT, "a ready leader", () -> running().stream()
                .filter(s -> s.node().isLeader() && s.node().leases().isLeader()).findFirst().orElse(null));
    }

    String nameOf(RatisKvStore store) {
        return store.node().peerId().toString();
    }

    private Path dir(String name) {
        return root.resolve(name);
    }

    /** Stops every member at once: closing a Ratis server takes a second or more, mostly waiting on its threads. */
    @Override
    public void close() {
        List<RatisKvStore> stores;
        synchronized (this) {
            stores = List.copyOf(running.values());
            running.clear();
        }
        stores.parallelStream().forEach(RatisKvStore::close);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
