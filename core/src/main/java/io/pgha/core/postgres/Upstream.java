package io.pgha.core.postgres;

import java.util.Optional;

/** The primary (or cascade source) a replica streams from, and the slot it uses there. */
public record Upstream(String host, int port, Optional<String> slotName) {
}
