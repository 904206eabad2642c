package io.pgha.proxy.route;

/** The state of the RW listener, derived from the table, the leader confirmations and any hold in effect. */
public enum RwGate {
    /** Route RW to the table's primary, if it has one. */
    OPEN,
    /** A planned switchover is in progress: hold new RW connections. */
    HOLD,
    /** The store has not confirmed the leader within the timeout: refuse RW and close existing RW sessions. */
    FAIL_CLOSED
}
