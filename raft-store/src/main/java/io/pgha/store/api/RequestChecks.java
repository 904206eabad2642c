package io.pgha.store.api;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The request checks etcd 3.4 makes in its API layer before a request reaches Raft (v3rpc/key.go): empty keys,
 * ignore_value/ignore_lease misuse, the txn operation limit and overlapping writes in one txn. Each check throws
 * the {@link io.pgha.store.StoreException} etcd answers with.
 */
final class RequestChecks {
    /** etcd's {@code --max-txn-ops} default. */
    static final int MAX_TXN_OPS = 128;
    /** etcd's {@code --max-request-bytes} default (1.5 MiB). */
    static final int MAX_REQUEST_BYTES = 1536 * 1024;

    private RequestChecks() {
    }

    static void range(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.EMPTY_KEY;
        }
    }

    static void put(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.EMPTY_KEY;
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw EtcdErrors.VALUE_PROVIDED;
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw EtcdErrors.LEASE_PROVIDED;
        }
    }

    static void delete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.EMPTY_KEY;
        }
    }

    static void size(com.google.protobuf.MessageLite request) {
        if (request.getSerializedSize() > MAX_REQUEST_BYTES) {
            throw EtcdErrors.REQUEST_TOO_LARGE;
        }
    }

    /** checkTxnRequest followed by checkIntervals on both branches, in etcd's order. */
    static void txn(TxnRequest r) {
        txn(r, MAX_TXN_OPS);
        intervals(r.getSuccessList());
        intervals(r.getFailureList());
    }

    private static void txn(TxnRequest r, int maxOps) {
        int ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (ops > maxOps) {
            throw EtcdErrors.TOO_MANY_OPS;
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw EtcdErrors.EMPTY_KEY;
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            op(op, maxOps - ops);
        }
        for (RequestOp op : r.getFailureList()) {
            op(op, maxOps - ops);
        }
    }

    private static void op(RequestOp op, int maxOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> range(op.getRequestRange());
            case REQUEST_PUT -> put(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> delete(op.getRequestDeleteRange());
            case REQUEST_TXN -> txn(op.getRequestTxn(), maxOps);
            default -> throw EtcdErrors.KEY_NOT_FOUND;
        }
    }

    /** Puts and deletes of one branch, with nested txns folded in (then and else may write the same key). */
    private record Writes(Set<ByteString> puts, List<ByteString[]> dels) {
        boolean deletes(ByteString key) {
            for (ByteString[] d : dels) {
                boolean inside = d[1].isEmpty() ? d[0].equals(key)
                        : ByteString.unsignedLexicographicalComparator().compare(d[0], key) <= 0
                        && ByteString.unsignedLexicographicalComparator().compare(key, d[1]) < 0;
                if (inside) {
                    return true;
                }
            }
            return false;
        }

        void addPut(ByteString key, boolean allowedTwice) {
            if ((puts.contains(key) && !allowedTwice) || deletes(key)) {
                throw EtcdErrors.DUPLICATE_KEY;
            }
            puts.add(key);
        }
    }

    private static Writes intervals(List<RequestOp> ops) {
        Writes w = new Writes(new HashSet<>(), new ArrayList<>());
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                w.dels().add(new ByteString[] {d.getKey(), d.getRangeEnd()});
            }
        }
        for (RequestOp op : ops) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Writes then = intervals(op.getRequestTxn().getSuccessList());
            Writes otherwise = intervals(op.getRequestTxn().getFailureList());
            for (ByteString k : then.puts()) {
                w.addPut(k, false);
            }
            for (ByteString k : otherwise.puts()) {
                w.addPut(k, then.puts().contains(k));
            }
            w.dels().addAll(then.dels());
            w.dels().addAll(otherwise.dels());
        }
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                w.addPut(op.getRequestPut().getKey(), false);
            }
        }
        return w;
    }
}
