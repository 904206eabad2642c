package io.pgha.store.tool;

import io.pgha.store.api.EtcdApiServer;
import io.pgha.store.apply.MvccStoreState;
import io.pgha.store.raft.RaftStoreConfig;
import io.pgha.store.raft.RaftStoreNode;
import io.pgha.store.raft.RatisKvStore;
import io.pgha.store.raft.RatisStoreCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one store member from the command line, for benchmarks and manual tests: a Ratis member plus the etcd v3
 * API (gRPC and the JSON gateway on one port), until SIGTERM or SIGINT.
 *
 * <pre>
 * StoreNodeMain --name n1 --data-dir /var/tmp/s/n1 --peer 127.0.0.1:23380 --client 127.0.0.1:23379 \
 *     --initial-cluster n1=127.0.0.1:23380,n2=127.0.0.1:23382,n3=127.0.0.1:23384 [--cluster-name pgha-bench]
 * </pre>
 *
 * <p>Every member of a new cluster gets the same {@code --initial-cluster}; a data dir that already holds the
 * group recovers it. Prints {@code READY <client-port>} once the API port is bound.
 */
public final class StoreNodeMain {
    private StoreNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String name = required(opts, "name");
        String peerAddress = required(opts, "peer");
        String client = required(opts, "client");
        List<RaftStoreConfig.Peer> peers = new ArrayList<>();
        for (String member : required(opts, "initial-cluster").split(",")) {
            int eq = member.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--initial-cluster wants name=host:port,...: " + member);
            }
            peers.add(new RaftStoreConfig.Peer(member.substring(0, eq), member.substring(eq + 1)));
        }
        RaftStoreConfig config = RaftStoreConfig.of(opts.getOrDefault("cluster-name", "pgha-store"), name,
                peerAddress, Path.of(required(opts, "data-dir")), peers);
        RatisKvStore store = new RatisKvStore(RaftStoreNode.start(config, new MvccStoreState()));
        RatisStoreCluster cluster = new RatisStoreCluster(store);
        int colon = client.lastIndexOf(':');
        EtcdApiServer api = new EtcdApiServer(store, cluster, client.substring(0, colon),
                Integer.parseInt(client.substring(colon + 1)));
        api.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            store.close();
            stopped.countDown();
        }, "store-shutdown"));
        System.out.println("READY " + api.port());
        System.out.flush();
        publish(cluster, "http://" + client.substring(0, colon) + ":" + api.port());
        stopped.await();
    }

    /** Publishes the client URL (member list, etcdctl --cluster); retried while the first election runs. */
    private static void publish(RatisStoreCluster cluster, String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                cluster.publishClientUrls(List.of(url)).get(10, TimeUnit.SECONDS);
                System.out.println("PUBLISHED " + url);
                System.out.flush();
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Thread.sleep(200);
            }
        }
        System.err.println("could not publish the client URL " + url + " within 60 s");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }
}
