package io.pgha.proxy.net;

import io.pgha.proxy.Backend;

/**
 * Where one client connection is in its life. Moves only forward:
 * {@code AwaitingStartup → (Held →)* Connecting → Forwarding → Closed}, or to {@code Closed} from anywhere.
 * Owned by the client channel's event loop; other threads only read it for statistics.
 */
public sealed interface ConnState {

    /** Accepted; waiting for the first 8 bytes (startup, SSL, GSSENC or cancel request). */
    record AwaitingStartup() implements ConnState {
    }

    /** A valid first packet arrived while new RW connections are held; nothing is forwarded yet. */
    record Held(String why) implements ConnState {
    }

    /** The backend connection is being opened; the client's first bytes wait in the handler. */
    record Connecting(Backend backend) implements ConnState {
    }

    /** Bytes flow both ways. */
    record Forwarding(Backend backend) implements ConnState {
    }

    /** Closed, and why (for the debug log). */
    record Closed(String why) implements ConnState {
    }
}
