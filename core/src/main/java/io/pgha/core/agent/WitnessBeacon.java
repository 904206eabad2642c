package io.pgha.core.agent;

import io.pgha.core.dcs.Dcs;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A witness's only store write: its leased {@code witnesses/<name>} key, refreshed every {@code loop_wait}, so the
 * data nodes can tell a live witness from a data node that is down. The store session belongs to its one thread.
 */
final class WitnessBeacon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WitnessBeacon.class);
    private final ScheduledExecutorService timer;

    private WitnessBeacon(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static WitnessBeacon start(Dcs dcs, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgha-witness");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                dcs.publishWitness();
            } catch (RuntimeException e) {
                LOG.debug("witness key not published: {}", e.getMessage());
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return new WitnessBeacon(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
