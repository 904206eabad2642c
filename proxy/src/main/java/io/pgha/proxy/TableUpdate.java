package io.pgha.proxy;

import java.util.concurrent.CompletableFuture;

/**
 * What installing a routing table did.
 *
 * @param installed      false when the table was older than the one in force and therefore ignored
 * @param sessionsClosed sessions closed because their backend stopped being the primary (or RW failed closed)
 * @param allClosed      completes when every one of those sessions has closed on both sides, so that an agent can
 *                       report "this proxy no longer talks to the old primary" (Stolon's two-phase handover)
 */
public record TableUpdate(boolean installed, int sessionsClosed, CompletableFuture<Void> allClosed) {

    static TableUpdate ignored() {
        return new TableUpdate(false, 0, CompletableFuture.completedFuture(null));
    }
}
