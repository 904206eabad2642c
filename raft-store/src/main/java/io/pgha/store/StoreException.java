package io.pgha.store;

import io.pgha.store.proto.StoreError;

/**
 * An error with etcd's gRPC status code and exact message, so that the API layer can answer exactly as etcd does
 * and clients that match on the message text (Patroni, jetcd) recognise it.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public StoreException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The gRPC status code number (see {@link EtcdErrors}). */
    public int code() {
        return code;
    }

    public StoreError toProto() {
        return StoreError.newBuilder().setCode(code).setMessage(getMessage()).build();
    }

    public static StoreException fromProto(StoreError error) {
        return new StoreException(error.getCode(), error.getMessage());
    }
}
