package io.pgha.proxy;

/** The member's Postgres state as the agent publishes it (Patroni's vocabulary). */
public enum BackendState {
    RUNNING,
    STREAMING,
    STARTING,
    STOPPED,
    CRASHED,
    UNKNOWN;

    /** Whether Postgres accepts connections in this state. */
    public boolean isServing() {
        return this == RUNNING || this == STREAMING;
    }
}
