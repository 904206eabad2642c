package io.pgha.store;

/** A watch opened with {@link KvStore#watch}. */
public interface Watch extends AutoCloseable {
    /** Stops delivery; the listener receives no further response after this returns. Idempotent. */
    void cancel();

    /** Asks for a progress notification: a response with no events and the current revision. */
    void requestProgress();

    @Override
    default void close() {
        cancel();
    }
}
