package io.pgha.core.postgres;

/** A Postgres operation failed; the message says which and why, and never contains a secret. */
public class PostgresException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PostgresException(String message) {
        super(message);
    }

    public PostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
