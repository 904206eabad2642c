package io.pgha.store;

import io.pgha.store.proto.WatchResponse;

/** Receives the responses of one watch, one at a time, in revision order. */
@FunctionalInterface
public interface WatchListener {
    void onResponse(WatchResponse response);
}
