package io.pgha.proxy;

/** The two client-facing listeners. */
public enum Listener {
    /** Read-write: only ever the current primary (ARCHITECTURE.md safety rule 2). */
    RW,
    /** Read-only: healthy replicas, by least connections; the primary only as a configured fallback. */
    RO;

    /** Lower-case name for stats and metric labels. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
