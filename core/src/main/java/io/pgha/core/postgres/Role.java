package io.pgha.core.postgres;

/** What a running Postgres is: accepting writes, or in recovery. UNKNOWN when it is not running or not answering. */
public enum Role {
    PRIMARY, REPLICA, UNKNOWN
}
