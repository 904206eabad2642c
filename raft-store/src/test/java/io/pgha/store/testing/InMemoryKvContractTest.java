package io.pgha.store.testing;

import io.pgha.store.KvStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The reference model against the contract it defines. */
class InMemoryKvContractTest extends KvStoreContract {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    protected KvStore newStore() {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new InMemoryKv(1, 1, clock, InMemoryKv.DEFAULT_MIN_TTL);
    }

    @Override
    protected void advanceTime(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }
}
