package io.pgha.core.config;

/** A 1-based line and column in the configuration file. */
public record Location(int line, int column) {
    /** The start of the file: where problems about absent keys are reported. */
    public static final Location START = new Location(1, 1);
}
