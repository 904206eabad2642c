package io.pgha.store.raft;

import com.google.protobuf.ByteString;
import io.pgha.store.KvStore;
import io.pgha.store.proto.PutRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A background stream of puts ({@code w/000001}, ...) through whichever store {@code target} returns; records
 * which puts were acknowledged, which failed, and when the first ack after a given moment arrived.
 */
final class WriteStream implements AutoCloseable {
    private final Supplier<KvStore> target;
    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private final List<Long> ackNanos = new CopyOnWriteArrayList<>();

    WriteStream(Supplier<KvStore> target) {
        this.target = target;
        this.thread = new Thread(this::run, "write-stream");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        for (int i = 0; running; i++) {
            String key = String.format("w/%06d", i);
            try {
                target.get().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                        .setValue(ByteString.copyFromUtf8("v" + i)).build()).get(10, TimeUnit.SECONDS);
                acked.add(key);
                ackNanos.add(System.nanoTime());
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        }
    }

    List<String> acked() {
        return List.copyOf(acked);
    }

    int failed() {
        return failed.get();
    }

    /** When the first write acknowledged after {@code moment} (System.nanoTime) was acknowledged. */
    long firstAckAfter(long moment) {
        return ackNanos.stream().filter(t -> t > moment).findFirst().orElseThrow();
    }

    void awaitMoreAcks(int more) {
        int target = acked.size() + more;
        Await.until(RaftTestCluster.WAIT, target + " acknowledged writes", () -> acked.size() >= target);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(15));
    }
}
