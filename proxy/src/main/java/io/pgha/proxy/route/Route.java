package io.pgha.proxy.route;

import io.pgha.proxy.Backend;

/** What to do with one new client connection. */
public sealed interface Route {

    /** Open a backend connection to {@code backend} and forward everything. */
    record Connect(Backend backend) implements Route {
    }

    /** Keep the client connected but not forwarded until a table with a primary arrives (planned switchover). */
    record Hold(String why) implements Route {
    }

    /**
     * Send the client a FATAL ErrorResponse with this SQLSTATE and message, then close.
     *
     * @param sqlState five-character SQLSTATE, e.g. {@code 57P03} (cannot connect now)
     * @param message  what psql prints after {@code FATAL:}
     */
    record Refuse(String sqlState, String message) implements Route {
    }
}
