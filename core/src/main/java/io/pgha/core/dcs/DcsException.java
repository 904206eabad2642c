package io.pgha.core.dcs;

/** The store could not answer (unavailable, timed out); the HA loop treats it as "DCS lost" for this cycle. */
public class DcsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DcsException(String message, Throwable cause) {
        super(message, cause);
    }
}
