package io.pgha.proxy;

/** The role a member reports for its Postgres. Only {@link #PRIMARY} accepts writes. */
public enum BackendRole {
    PRIMARY,
    REPLICA
}
