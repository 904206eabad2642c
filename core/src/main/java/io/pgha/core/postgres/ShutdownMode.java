package io.pgha.core.postgres;

/** {@code pg_ctl stop -m}: smart waits for clients, fast disconnects them, immediate aborts without a checkpoint. */
public enum ShutdownMode {
    SMART, FAST, IMMEDIATE;

    String pgCtlName() {
        return name().toLowerCase();
    }
}
