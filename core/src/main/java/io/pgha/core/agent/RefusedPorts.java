package io.pgha.core.agent;

import io.pgha.core.dcs.MemberState;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Whether a member's node is up but its agent and Postgres are gone: both its Postgres port and its REST port
 * answer a connection attempt with a refusal (a TCP reset from the node's own kernel). A timeout, an unreachable
 * host or an accepted connection all say "maybe alive", never "gone".
 */
final class RefusedPorts {
    private final Duration timeout;

    RefusedPorts(Duration timeout) {
        this.timeout = timeout;
    }

    /** Both the member's Postgres address and its REST API address refuse connections. */
    boolean gone(MemberState m) {
        if (m.host().isBlank() || m.port() <= 0) {
            return false;
        }
        URI api;
        try {
            api = URI.create(m.apiUrl());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (api.getHost() == null || api.getPort() <= 0) {
            return false;
        }
        return refused(m.host(), m.port()) && refused(api.getHost(), api.getPort());
    }

    boolean refused(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return false;
        } catch (ConnectException e) {
            // Java reports ECONNREFUSED as "Connection refused"; other connect failures are not proof of death.
            return e.getMessage() != null && e.getMessage().startsWith("Connection refused");
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
