package io.pgha.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgha.store.apply.MvccStoreState;
import io.pgha.store.raft.RaftStoreConfig;
import io.pgha.store.raft.RaftStoreNode;
import io.pgha.store.raft.RatisKvStore;
import io.pgha.store.raft.RatisStoreCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real etcdctl 3.4 against three pgha members (Ratis store, one etcd API server each): the {@code --cluster}
 * commands discover the members through MemberList's clientURLs, as they do against etcd.
 */
class EtcdctlClusterIT {
    private static final RaftStoreConfig.Timeouts FAST =
            new RaftStoreConfig.Timeouts(Duration.ofMillis(300), Duration.ofMillis(600), Duration.ofSeconds(5));

    private static Path root;
    private static final List<RatisKvStore> STORES = new ArrayList<>();
    private static final List<EtcdApiServer> SERVERS = new ArrayList<>();
    private static String endpoints;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("pgha-etcdctl-cluster");
        List<RaftStoreConfig.Peer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new RaftStoreConfig.Peer("m" + i, "127.0.0.1:" + RealEtcd.freePort()));
        }
        for (RaftStoreConfig.Peer p : peers) {
            RaftStoreConfig config = RaftStoreConfig.of("etcdctl-it", p.name(), p.address(), root.resolve(p.name()),
                    peers).withTimeouts(FAST);
            STORES.add(new RatisKvStore(RaftStoreNode.start(config, new MvccStoreState())));
        }
        List<String> urls = new ArrayList<>();
        for (RatisKvStore store : STORES) {
            RatisStoreCluster cluster = new RatisStoreCluster(store);
            EtcdApiServer server = new EtcdApiServer(store, cluster, "127.0.0.1", 0);
            server.start();
            SERVERS.add(server);
            String url = "http://127.0.0.1:" + server.port();
            urls.add(url);
            awaitPublished(cluster, url);
        }
        endpoints = String.join(",", urls);
    }

    /** Publishing needs a leader; retried until the deadline while the first election runs. */
    private static void awaitPublished(RatisStoreCluster cluster, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                cluster.publishClientUrls(List.of(url)).get(10, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        SERVERS.forEach(EtcdApiServer::close);
        STORES.forEach(RatisKvStore::close);
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    private static String ok(Etcdctl ctl, String... args) throws Exception {
        Etcdctl.Result r = ctl.run(args);
        // transcript for review, in target/failsafe-reports/*-output.txt
        System.out.println("$ etcdctl " + String.join(" ", args) + "\n" + r.out() + r.err());
        assertThat(r.exitCode()).as("etcdctl %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    @Test
    void memberListShowsAllThreeWithTheirClientUrls() throws Exception {
        String out = ok(new Etcdctl(endpoints), "member", "list");
        assertThat(out.lines()).hasSize(3).allSatisfy(l -> assertThat(l).contains(", started, m"));
        for (String url : endpoints.split(",")) {
            assertThat(out).contains(url);
        }
    }

    @Test
    void endpointStatusAndHealthOverTheWholeCluster() throws Exception {
        Etcdctl first = new Etcdctl(endpoints.split(",")[0]);
        List<String> status = ok(first, "endpoint", "status", "--cluster").lines().toList();
        assertThat(status).hasSize(3);
        assertThat(status.stream().filter(l -> l.contains(", true, false, ")).count()).as("one leader")
                .isEqualTo(1);
        assertThat(status.stream().map(l -> l.split(", ")[1]).collect(Collectors.toSet())).hasSize(3);
        Etcdctl.Result health = first.run("endpoint", "health", "--cluster");
        assertThat(health.exitCode()).as(health.err()).isZero();
        assertThat(health.err().lines().filter(l -> l.contains(" is healthy: successfully committed proposal"))
                .count()).isEqualTo(3);
    }

    @Test
    void aPutThroughOneMemberIsReadThroughAnother() throws Exception {
        String[] urls = endpoints.split(",");
        assertThat(ok(new Etcdctl(urls[0]), "put", "/cluster/k", "v")).isEqualTo("OK\n");
        assertThat(ok(new Etcdctl(urls[2]), "get", "/cluster/k", "--print-value-only")).isEqualTo("v\n");
    }

    /**
     * {@code etcdctl snapshot save} stores the member's store snapshot (pgha's format in 512-byte pages followed by
     * their SHA-256, not a bbolt file: {@code snapshot status} does not apply).
     */
    @Test
    void snapshotSaveStoresTheMembersSnapshot() throws Exception {
        String url = endpoints.split(",")[1];
        ok(new Etcdctl(url), "put", "/cluster/snap", "shot");
        Path file = root.resolve("saved.db");
        Etcdctl.Result saved = new Etcdctl(url).run("snapshot", "save", file.toString());
        assertThat(saved.exitCode()).as(saved.err()).isZero();
        assertThat(saved.out() + saved.err()).contains("Snapshot saved at " + file);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(32);
        byte[] data = java.util.Arrays.copyOf(bytes, bytes.length - 32);
        assertThat(java.util.Arrays.copyOfRange(bytes, data.length, bytes.length))
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(new String(data, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("/cluster/snap");
    }
}
