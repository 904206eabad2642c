package io.pgha.store.api;

import io.pgha.store.KvStore;
import io.pgha.store.apply.LocalKvStore;
import java.io.IOException;
import java.util.List;

/** An {@link EtcdApiServer} on a free loopback port over the unreplicated store and a one-member cluster. */
final class ApiFixture implements AutoCloseable {
    final KvStore store;
    final FakeStoreCluster cluster = new FakeStoreCluster();
    final EtcdApiServer server;

    ApiFixture() throws IOException {
        this.store = new LocalKvStore(FakeStoreCluster.CLUSTER_ID, FakeStoreCluster.MEMBER_ID);
        this.server = new EtcdApiServer(store, cluster, "127.0.0.1", 0);
        server.start();
        cluster.clientUrls(List.of(endpoint()));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
