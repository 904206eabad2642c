package io.pgha.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A slow client must not make the proxy buffer what the backend sends: TCP pushes back to the backend instead. */
class PgProxyBackpressureTcpTest extends TcpFixture {
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    /** High water mark (64 KiB) plus one read and Netty's per-message overhead, with room to spare. */
    private static final long BOUND = 512 * 1024;

    @Test
    void aSlowReaderDoesNotMakeTheProxyBufferUnboundedly() throws Exception {
        FakePostgres flood = keep(FakePostgres.flood("flood", HUNDRED_MB));
        start(settings().writeWaterMarks(32 * 1024, 64 * 1024).build()).update(table(1, flood.primary()));
        PgClient slow = rw().sendStartup();

        // The client reads nothing: kernel buffers fill, then the proxy must stop reading the backend.
        Await.until("the proxy pauses reading the backend", () -> proxy.stats().backpressurePauses() > 0);
        long sentBeforeReading = flood.flooded();
        assertThat(sentBeforeReading).as("the backend was held back").isLessThan(HUNDRED_MB);
        assertThat(proxy.stats().pendingWriteBytes()).isLessThan(BOUND);

        long read = 0;
        byte[] buf = new byte[8192];
        InputStream in = slow.input();
        long samples = 0;
        while (read < HUNDRED_MB) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            read += n;
            if (++samples % 64 == 0) {
                assertThat(proxy.stats().pendingWriteBytes()).isLessThan(BOUND);
            }
        }
        assertThat(read).isEqualTo(HUNDRED_MB);
        LoggerFactory.getLogger(getClass()).info("backend sent {} B before the client read; max pending {}, pauses {}",
                sentBeforeReading, proxy.stats().maxPendingWriteBytes(), proxy.stats().backpressurePauses());
        assertThat(proxy.stats().maxPendingWriteBytes()).isLessThan(BOUND);
        assertThat(proxy.stats().backend("flood").orElseThrow().bytesFromBackend()).isEqualTo(HUNDRED_MB);
    }
}
