package io.pgha.store.api;

import io.pgha.store.KvStore;
import java.io.IOException;
import java.util.List;

/** An {@link EtcdApiServer} on a free loopback port over a test store and a one-member cluster. */
final class ApiFixture implements AutoCloseable {
    final KvStore store;
    final FakeStoreCluster cluster = new FakeStoreCluster();
    final EtcdApiServer server;

    ApiFixture() throws IOException {
        this.store = new MiniKv();
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
