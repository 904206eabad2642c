package io.pgha.store.raft;

import io.pgha.store.apply.MvccStoreState;
import io.pgha.store.apply.StoreState;
import java.util.function.Supplier;

/** The {@link StoreState} the Raft tests replicate. */
final class RaftStates {
    private RaftStates() {
    }

    static Supplier<StoreState> factory() {
        return MvccStoreState::new;
    }
}
