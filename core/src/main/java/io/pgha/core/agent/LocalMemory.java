package io.pgha.core.agent;

import io.pgha.core.ha.LocalView;
import java.time.Instant;
import java.util.Optional;

/**
 * What the agent remembers about itself between cycles and that is in neither the store nor Postgres: when the
 * leader lease was last renewed, whom this replica follows, whether a rejoin is pending. Shared by the loop thread
 * and the worker, so every field is volatile and each is written by one side only where noted.
 */
final class LocalMemory {
    /** Written by the loop thread. */
    volatile Optional<Instant> lastRenewSent = Optional.empty();
    /** Written by the worker. */
    volatile Optional<String> following = Optional.empty();
    /** Written by the worker, and by the lease fence when it kills a primary. */
    volatile LocalView.RejoinState rejoin = LocalView.RejoinState.NONE;
    /** Written by the worker: what a long action is doing, such as {@code creating replica (45%)}; else empty. */
    volatile String activity = "";
}
