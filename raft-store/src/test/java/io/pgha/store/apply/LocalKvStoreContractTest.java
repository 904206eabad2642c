package io.pgha.store.apply;

import io.pgha.store.KvStore;
import io.pgha.store.testing.KvStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The unreplicated store on a manual monotonic clock; its expiry timer is real. */
class LocalKvStoreContractTest extends KvStoreContract {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    protected KvStore newStore() {
        return new LocalKvStore(1, 1, new MvccStoreState(), nanos::get);
    }

    @Override
    protected void advanceTime(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
