package io.pgha.store.mvcc;

import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.ResponseOp;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * etcd v3.4's Put, DeleteRange and Txn (etcdserver/apply.go) over one {@link WriteTxn}. A txn first decides its
 * whole path (nested compares included) against the state before the txn, then checks every put and range of that
 * path, and only then writes, so a failing txn writes nothing. Sub-response headers carry only the revision; a
 * nested txn's header is empty, as in etcd. Request shapes are checked by {@link RequestChecks} beforehand.
 */
public final class TxnExecutor {
    private final LongPredicate leaseExists;

    public TxnExecutor(LongPredicate leaseExists) {
        this.leaseExists = leaseExists;
    }

    private static ResponseHeader rev(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    /** A top-level put: the lease must exist, then ignore_* need the key. */
    public PutResponse put(PutRequest p, WriteTxn w) {
        if (p.getLease() != 0 && !leaseExists.test(p.getLease())) {
            throw EtcdErrors.LEASE_NOT_FOUND;
        }
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && w.get(p.getKey()) == null) {
            throw EtcdErrors.KEY_NOT_FOUND;
        }
        return doPut(p, w);
    }

    /**
     * Never throws: a txn may not fail half-way. The one case etcd's checks miss, an ignore_* put of a key that an
     * earlier delete of the same txn removed (etcd v3.4 panics there), keeps an empty value and no lease.
     */
    private PutResponse doPut(PutRequest p, WriteTxn w) {
        KeyValue cur = w.get(p.getKey());
        if (cur == null) {
            cur = KeyValue.getDefaultInstance();
        }
        KeyValue prev = w.put(p.getKey(), p.getIgnoreValue() ? cur.getValue() : p.getValue(),
                p.getIgnoreLease() ? cur.getLease() : p.getLease());
        PutResponse.Builder out = PutResponse.newBuilder().setHeader(rev(w.readRevision()));
        if (p.getPrevKv() && prev != null) {
            out.setPrevKv(prev);
        }
        return out.build();
    }

    public DeleteRangeResponse delete(DeleteRangeRequest r, WriteTxn w) {
        List<KeyValue> gone = w.deleteRange(KeyRange.of(r.getKey(), r.getRangeEnd()));
        DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder().setHeader(rev(w.readRevision()))
                .setDeleted(gone.size());
        if (r.getPrevKv()) {
            out.addAllPrevKvs(gone);
        }
        return out.build();
    }

    /** A top-level txn; the header carries the revision after it. */
    public TxnResponse txn(TxnRequest r, WriteTxn w) {
        List<Boolean> path = new ArrayList<>();
        decide(r, w.store(), path);
        if (writes(r)) {
            check(r, w, path, 0, true);
        }
        check(r, w, path, 0, false);
        TxnResponse.Builder out = execute(r, w, path, new int[] {0});
        return out.setHeader(rev(w.readRevision())).build();
    }

    /** etcd's compareToPath: this txn's outcome, then those of the nested txns of the taken branch, depth first. */
    private void decide(TxnRequest r, MvccStore store, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : r.getCompareList()) {
            if (!holds(store, c)) {
                ok = false;
                break;
            }
        }
        path.add(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                decide(op.getRequestTxn(), store, path);
            }
        }
    }

    private static boolean holds(MvccStore store, Compare c) {
        List<KeyValue> kvs = store.rangeAt(KeyRange.of(c.getKey(), c.getRangeEnd()), store.revision());
        if (kvs.isEmpty()) {
            return c.getTarget() != Compare.CompareTarget.VALUE && compare(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!compare(c, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean compare(Compare c, KeyValue kv) {
        int diff = switch (c.getTarget()) {
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case VALUE -> KeyRange.ORDER.compare(kv.getValue(), c.getValue());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            default -> 0;
        };
        return switch (c.getResult()) {
            case EQUAL -> diff == 0;
            case NOT_EQUAL -> diff != 0;
            case GREATER -> diff > 0;
            case LESS -> diff < 0;
            default -> true;
        };
    }

    private static boolean writes(TxnRequest r) {
        for (List<RequestOp> ops : List.of(r.getSuccessList(), r.getFailureList())) {
            for (RequestOp op : ops) {
                if (op.hasRequestPut() || op.hasRequestDeleteRange()
                        || op.hasRequestTxn() && writes(op.getRequestTxn())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** etcd's checkRequests along the path: puts (key for ignore_*, then lease) or ranges (revision). */
    private int check(TxnRequest r, WriteTxn w, List<Boolean> path, int at, boolean puts) {
        int next = at + 1;
        for (RequestOp op : path.get(at) ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                next = check(op.getRequestTxn(), w, path, next, puts);
            } else if (puts && op.hasRequestPut()) {
                PutRequest p = op.getRequestPut();
                if ((p.getIgnoreValue() || p.getIgnoreLease()) && w.get(p.getKey()) == null) {
                    throw EtcdErrors.KEY_NOT_FOUND;
                }
                if (p.getLease() != 0 && !leaseExists.test(p.getLease())) {
                    throw EtcdErrors.LEASE_NOT_FOUND;
                }
            } else if (!puts && op.hasRequestRange() && op.getRequestRange().getRevision() != 0) {
                w.store().readRevision(op.getRequestRange().getRevision(), w.baseRevision());
            }
        }
        return next;
    }

    private TxnResponse.Builder execute(TxnRequest r, WriteTxn w, List<Boolean> path, int[] at) {
        boolean ok = path.get(at[0]++);
        TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder res = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> res.setResponseRange(
                        RangeExecutor.range(w.store(), op.getRequestRange(), w.readRevision()));
                case REQUEST_PUT -> res.setResponsePut(doPut(op.getRequestPut(), w));
                case REQUEST_DELETE_RANGE -> res.setResponseDeleteRange(delete(op.getRequestDeleteRange(), w));
                default -> res.setResponseTxn(execute(op.getRequestTxn(), w, path, at)
                        .setHeader(ResponseHeader.getDefaultInstance()));
            }
            out.addResponses(res);
        }
        return out;
    }
}
