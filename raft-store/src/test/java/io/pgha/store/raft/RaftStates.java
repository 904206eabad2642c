package io.pgha.store.raft;

import io.pgha.store.apply.StoreState;
import java.util.function.Supplier;

/** The {@link StoreState} the Raft tests replicate. */
final class RaftStates {
    private RaftStates() {
    }

    static Supplier<StoreState> factory() {
        return TinyState::new;
    }
}
