package io.pgha.store.api;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real etcd 3.4 server (Debian's /usr/bin/etcd) on free loopback ports, as the oracle of differential tests. */
final class RealEtcd implements AutoCloseable {
    static final String BINARY = "/usr/bin/etcd";

    private final Path dataDir;
    private final Process process;
    final int clientPort;

    RealEtcd() throws IOException, InterruptedException {
        dataDir = Files.createTempDirectory("pgha-etcd-oracle");
        clientPort = freePort();
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder pb = new ProcessBuilder(List.of(BINARY, "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", "default=" + peer));
        pb.redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile());
        process = pb.start();
        awaitHealthy();
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    private void awaitHealthy() throws InterruptedException, IOException {
        HttpJson http = new HttpJson(endpoint());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited: " + Files.readString(dataDir.resolve("etcd.log")));
            }
            try {
                if (http.get("/health").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(100, TimeUnit.MILLISECONDS); // a bounded pause that also notices an early exit
        }
        throw new IOException("etcd not healthy within 20 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
