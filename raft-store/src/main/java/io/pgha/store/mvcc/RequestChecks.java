package io.pgha.store.mvcc;

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
 * The request shape checks etcd v3.4 makes before proposing (etcdserver/api/v3rpc/key.go {@code checkPutRequest},
 * {@code checkTxnRequest}, {@code checkIntervals}). They depend on the request alone, so the API layer may run them
 * before proposing and the apply layer runs them again; both give the same answer.
 */
public final class RequestChecks {
    /** etcd's default {@code --max-txn-ops}. */
    public static final int MAX_TXN_OPS = 128;

    private RequestChecks() {
    }

    public static void checkRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.EMPTY_KEY;
        }
    }

    public static void checkPut(PutRequest r) {
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

    public static void checkDelete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdErrors.EMPTY_KEY;
        }
    }

    /** Op count, empty keys, then etcd's duplicate-key rule for both branches (nested txns included). */
    public static void checkTxn(TxnRequest r) {
        checkTxnShape(r, MAX_TXN_OPS);
        checkIntervals(r.getSuccessList());
        checkIntervals(r.getFailureList());
    }

    private static void checkTxnShape(TxnRequest r, int maxOps) {
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
            checkOp(op, maxOps - ops);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxOps - ops);
        }
    }

    private static void checkOp(RequestOp op, int maxOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnShape(op.getRequestTxn(), maxOps);
            default -> throw EtcdErrors.KEY_NOT_FOUND;
        }
    }

    /** Puts and deletes of one branch found so far; intervals compare as etcd's string-affine intervals. */
    private record Writes(Set<ByteString> puts, List<ByteString[]> dels) {
        boolean deletes(ByteString key) {
            for (ByteString[] d : dels) {
                if (d[1] == null ? d[0].equals(key) : cmp(d[0], key) <= 0 && (d[1].isEmpty() || cmp(key, d[1]) < 0)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static int cmp(ByteString a, ByteString b) {
        return ByteString.unsignedLexicographicalComparator().compare(a, b);
    }

    private static Writes checkIntervals(List<RequestOp> reqs) {
        List<ByteString[]> dels = new ArrayList<>();
        for (RequestOp op : reqs) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                // etcd takes range_end literally here: "\0" is not "to the end" in this check.
                dels.add(new ByteString[] {d.getKey(), d.getRangeEnd().isEmpty() ? null : d.getRangeEnd()});
            }
        }
        Writes writes = new Writes(new HashSet<>(), dels);
        for (RequestOp op : reqs) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Writes then = checkIntervals(op.getRequestTxn().getSuccessList());
            Writes otherwise = checkIntervals(op.getRequestTxn().getFailureList());
            for (ByteString k : then.puts()) {
                if (writes.puts().contains(k) || writes.deletes(k)) {
                    throw EtcdErrors.DUPLICATE_KEY;
                }
                writes.puts().add(k);
            }
            for (ByteString k : otherwise.puts()) {
                // then and else exclude each other, so the same key in both is fine
                if (writes.puts().contains(k) && !then.puts().contains(k) || writes.deletes(k)) {
                    throw EtcdErrors.DUPLICATE_KEY;
                }
                writes.puts().add(k);
            }
            dels.addAll(then.dels());
            dels.addAll(otherwise.dels());
        }
        for (RequestOp op : reqs) {
            if (op.hasRequestPut()) {
                ByteString k = op.getRequestPut().getKey();
                if (writes.puts().contains(k) || writes.deletes(k)) {
                    throw EtcdErrors.DUPLICATE_KEY;
                }
                writes.puts().add(k);
            }
        }
        return writes;
    }
}
