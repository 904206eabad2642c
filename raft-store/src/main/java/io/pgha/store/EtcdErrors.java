package io.pgha.store;

/**
 * etcd v3.4's error codes and messages (etcdserver/api/v3rpc/rpctypes/error.go). Clients match on the text: copy,
 * never paraphrase.
 */
public final class EtcdErrors {
    public static final int CANCELLED = 1;
    public static final int UNKNOWN = 2;
    public static final int INVALID_ARGUMENT = 3;
    public static final int DEADLINE_EXCEEDED = 4;
    public static final int NOT_FOUND = 5;
    public static final int PERMISSION_DENIED = 7;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int FAILED_PRECONDITION = 9;
    public static final int OUT_OF_RANGE = 11;
    public static final int UNIMPLEMENTED = 12;
    public static final int UNAVAILABLE = 14;
    public static final int UNAUTHENTICATED = 16;

    public static final StoreException EMPTY_KEY = invalid("etcdserver: key is not provided");
    public static final StoreException KEY_NOT_FOUND = invalid("etcdserver: key not found");
    public static final StoreException VALUE_PROVIDED = invalid("etcdserver: value is provided");
    public static final StoreException LEASE_PROVIDED = invalid("etcdserver: lease is provided");
    public static final StoreException TOO_MANY_OPS = invalid("etcdserver: too many operations in txn request");
    public static final StoreException DUPLICATE_KEY = invalid("etcdserver: duplicate key given in txn request");
    public static final StoreException REQUEST_TOO_LARGE = invalid("etcdserver: request is too large");
    public static final StoreException COMPACTED =
            new StoreException(OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
    public static final StoreException FUTURE_REV =
            new StoreException(OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
    public static final StoreException LEASE_TTL_TOO_LARGE = new StoreException(OUT_OF_RANGE,
            "etcdserver: too large lease TTL");
    public static final StoreException LEASE_NOT_FOUND =
            new StoreException(NOT_FOUND, "etcdserver: requested lease not found");
    public static final StoreException MEMBER_NOT_FOUND = new StoreException(NOT_FOUND, "etcdserver: member not found");
    public static final StoreException LEASE_EXISTS =
            new StoreException(FAILED_PRECONDITION, "etcdserver: lease already exists");
    public static final StoreException NOT_LEADER = new StoreException(FAILED_PRECONDITION, "etcdserver: not leader");
    public static final StoreException AUTH_NOT_ENABLED =
            new StoreException(FAILED_PRECONDITION, "etcdserver: authentication is not enabled");
    public static final StoreException NO_LEADER = new StoreException(UNAVAILABLE, "etcdserver: no leader");
    public static final StoreException LEADER_CHANGED = new StoreException(UNAVAILABLE, "etcdserver: leader changed");
    public static final StoreException TIMED_OUT = new StoreException(UNAVAILABLE, "etcdserver: request timed out");
    public static final StoreException STOPPED = new StoreException(UNAVAILABLE, "etcdserver: server stopped");
    public static final StoreException UNHEALTHY = new StoreException(UNAVAILABLE, "etcdserver: unhealthy cluster");
    public static final StoreException WATCH_CANCELED = new StoreException(CANCELLED, "etcdserver: watch canceled");

    private EtcdErrors() {
    }

    private static StoreException invalid(String message) {
        return new StoreException(INVALID_ARGUMENT, message);
    }
}
