package io.pgha.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pgha.store.KvStore;
import io.pgha.store.StoreException;
import io.pgha.store.WatchListener;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Hooks and helpers shared by the contract test classes; see {@link KvStoreContract}. */
public abstract class ContractSupport {
    static final Duration DEADLINE = Duration.ofSeconds(10);

    protected KvStore store;

    /** A fresh, empty store (revision 1) whose minimum lease TTL is 2 seconds, as etcd's default. */
    protected abstract KvStore newStore();

    /**
     * Makes at least {@code d} pass on the store's lease clock. Stores on a real clock wait; stores with an injected
     * clock move it. Expiry itself may then take a while: tests await it with a deadline.
     */
    protected abstract void advanceTime(Duration d);

    @BeforeEach
    protected void openStore() {
        store = newStore();
    }

    @AfterEach
    protected void closeStore() {
        store.close();
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new CompletionException(e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within " + DEADLINE, e);
        }
    }

    static void assertFails(CompletableFuture<?> f, int code, String message) {
        assertThatThrownBy(() -> get(f)).isInstanceOf(StoreException.class).hasMessage(message)
                .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(code));
    }

    PutResponse put(String key, String value) {
        return get(store.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build()));
    }

    PutResponse put(String key, String value, long lease) {
        return get(store.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).setLease(lease).build()));
    }

    long delete(String key) {
        return get(store.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key)).build())).getDeleted();
    }

    RangeResponse range(RangeRequest.Builder r) {
        return get(store.range(r.build()));
    }

    KeyValue kv(String key) {
        RangeResponse r = range(RangeRequest.newBuilder().setKey(bs(key)));
        return r.getKvsCount() == 0 ? null : r.getKvs(0);
    }

    long revision() {
        return range(RangeRequest.newBuilder().setKey(bs("any"))).getHeader().getRevision();
    }

    static List<String> keys(RangeResponse r) {
        return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            // polling with a deadline, not a fixed sleep: the condition decides when the test goes on
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A listener that records every response; thread-safe. */
    static final class Recorder implements WatchListener {
        final List<WatchResponse> responses = new ArrayList<>();
        private Consumer<WatchResponse> hook = r -> { };

        Recorder onEach(Consumer<WatchResponse> h) {
            this.hook = h;
            return this;
        }

        @Override
        public void onResponse(WatchResponse response) {
            hook.accept(response);
            synchronized (this) {
                responses.add(response);
            }
        }

        synchronized List<WatchResponse> all() {
            return List.copyOf(responses);
        }

        synchronized List<io.pgha.store.proto.Event> events() {
            return responses.stream().flatMap(r -> r.getEventsList().stream()).toList();
        }

        void awaitEvents(int n) {
            await(n + " events, got " + events(), () -> events().size() >= n);
        }
    }
}
