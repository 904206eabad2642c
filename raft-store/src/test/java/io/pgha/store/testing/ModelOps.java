package io.pgha.store.testing;

import com.google.protobuf.ByteString;
import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.DeleteRangeResponse;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.PutResponse;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.ResponseHeader;
import io.pgha.store.proto.ResponseOp;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.TxnResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/** The model's KV operations: one write draft (a copy of the whole key space) per request. */
final class ModelOps {
    private final ModelKeySpace ks;
    private final LongPredicate leaseExists;

    ModelOps(ModelKeySpace ks, LongPredicate leaseExists) {
        this.ks = ks;
        this.leaseExists = leaseExists;
    }

    /** A write in progress at revision base + 1. */
    static final class Draft {
        final long base;
        final TreeMap<ByteString, KeyValue> kvs;
        final List<Event> events = new ArrayList<>();

        Draft(long base, TreeMap<ByteString, KeyValue> kvs) {
            this.base = base;
            this.kvs = kvs;
        }

        long readRev() {
            return events.isEmpty() ? base : base + 1;
        }

        KeyValue put(ByteString key, ByteString value, long lease) {
            KeyValue prev = kvs.get(key);
            long rev = base + 1;
            KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value).setLease(lease).setModRevision(rev)
                    .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
                    .setVersion(prev == null ? 1 : prev.getVersion() + 1).build();
            kvs.put(key, kv);
            Event.Builder e = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
            if (prev != null) {
                e.setPrevKv(prev);
            }
            events.add(e.build());
            return prev;
        }

        List<KeyValue> delete(ByteString key, ByteString end) {
            List<KeyValue> gone = ModelKeySpace.select(kvs, key, end);
            for (KeyValue prev : gone) {
                kvs.remove(prev.getKey());
                KeyValue tomb = KeyValue.newBuilder().setKey(prev.getKey()).setModRevision(base + 1).build();
                events.add(Event.newBuilder().setType(Event.EventType.DELETE).setKv(tomb).setPrevKv(prev).build());
            }
            return gone;
        }
    }

    Draft draft() {
        return new Draft(ks.current(), ks.draft());
    }

    void commit(Draft d) {
        if (!d.events.isEmpty()) {
            ks.append(d.kvs, d.events);
        }
    }

    static ResponseHeader rev(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    RangeResponse range(RangeRequest r, Draft d) {
        long cur = d == null ? ks.current() : d.readRev();
        long rev = r.getRevision();
        if (rev > cur) {
            throw EtcdErrors.FUTURE_REV;
        }
        if (rev <= 0) {
            rev = cur;
        }
        if (rev < ks.compacted()) {
            throw EtcdErrors.COMPACTED;
        }
        Map<ByteString, KeyValue> kvs = d != null && rev == cur ? d.kvs : ks.at(rev).kvs();
        List<KeyValue> all = ModelKeySpace.select(kvs, r.getKey(), r.getRangeEnd());
        RangeResponse.Builder out = RangeResponse.newBuilder().setHeader(rev(cur)).setCount(all.size());
        if (r.getCountOnly()) {
            return out.build();
        }
        List<KeyValue> kept = new ArrayList<>();
        for (KeyValue kv : all) {
            boolean ok = (r.getMinModRevision() == 0 || kv.getModRevision() >= r.getMinModRevision())
                    && (r.getMaxModRevision() == 0 || kv.getModRevision() <= r.getMaxModRevision())
                    && (r.getMinCreateRevision() == 0 || kv.getCreateRevision() >= r.getMinCreateRevision())
                    && (r.getMaxCreateRevision() == 0 || kv.getCreateRevision() <= r.getMaxCreateRevision());
            if (ok) {
                kept.add(kv);
            }
        }
        sort(kept, r);
        if (r.getLimit() > 0 && kept.size() > r.getLimit()) {
            kept = kept.subList(0, (int) r.getLimit());
            out.setMore(true);
        }
        for (KeyValue kv : kept) {
            out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return out.build();
    }

    private static void sort(List<KeyValue> kvs, RangeRequest r) {
        RangeRequest.SortOrder order = r.getSortOrder();
        if (order == RangeRequest.SortOrder.NONE && r.getSortTarget() != RangeRequest.SortTarget.KEY) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        if (order == RangeRequest.SortOrder.NONE) {
            return;
        }
        Comparator<KeyValue> c = switch (r.getSortTarget()) {
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, ByteString.unsignedLexicographicalComparator());
            default -> Comparator.comparing(KeyValue::getKey, ByteString.unsignedLexicographicalComparator());
        };
        kvs.sort(order == RangeRequest.SortOrder.DESCEND ? c.reversed() : c);
    }

    /** In a txn (checked beforehand) an ignore_* put of a key deleted earlier in it keeps empty value, no lease. */
    PutResponse put(PutRequest p, Draft d) {
        KeyValue cur = d.kvs.get(p.getKey());
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && cur == null) {
            if (d.events.isEmpty()) {
                throw EtcdErrors.KEY_NOT_FOUND;
            }
            cur = KeyValue.getDefaultInstance();
        }
        ByteString value = p.getIgnoreValue() ? cur.getValue() : p.getValue();
        long lease = p.getIgnoreLease() ? cur.getLease() : p.getLease();
        KeyValue prev = d.put(p.getKey(), value, lease);
        PutResponse.Builder out = PutResponse.newBuilder().setHeader(rev(d.base + 1));
        if (p.getPrevKv() && prev != null) {
            out.setPrevKv(prev);
        }
        return out.build();
    }

    DeleteRangeResponse delete(DeleteRangeRequest r, Draft d) {
        List<KeyValue> gone = d.delete(r.getKey(), r.getRangeEnd());
        DeleteRangeResponse.Builder out = DeleteRangeResponse.newBuilder().setHeader(rev(d.readRev()))
                .setDeleted(gone.size());
        if (r.getPrevKv()) {
            out.addAllPrevKvs(gone);
        }
        return out.build();
    }

    /** Top-level txn: every compare (nested ones too) sees the state before the txn, as etcd's compareToPath. */
    TxnResponse txn(TxnRequest r) {
        Map<ByteString, KeyValue> before = ks.at(ks.current()).kvs();
        if (writes(r)) {
            precheck(r, before, true);
        }
        precheck(r, before, false);
        Draft d = draft();
        TxnResponse.Builder out = exec(r, before, d);
        commit(d);
        return out.setHeader(rev(d.readRev())).build();
    }

    private TxnResponse.Builder exec(TxnRequest r, Map<ByteString, KeyValue> before, Draft d) {
        boolean ok = compares(r, before);
        TxnResponse.Builder out = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder res = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> res.setResponseRange(range(op.getRequestRange(), d));
                case REQUEST_PUT -> res.setResponsePut(put(op.getRequestPut(), d));
                case REQUEST_DELETE_RANGE -> res.setResponseDeleteRange(delete(op.getRequestDeleteRange(), d));
                default -> res.setResponseTxn(exec(op.getRequestTxn(), before, d)
                        .setHeader(ResponseHeader.getDefaultInstance()));
            }
            out.addResponses(res);
        }
        return out;
    }

    private static boolean compares(TxnRequest r, Map<ByteString, KeyValue> kvs) {
        for (Compare c : r.getCompareList()) {
            List<KeyValue> sel = ModelKeySpace.select(kvs, c.getKey(), c.getRangeEnd());
            if (sel.isEmpty()) {
                if (c.getTarget() == Compare.CompareTarget.VALUE || !holds(c, KeyValue.getDefaultInstance())) {
                    return false;
                }
            }
            for (KeyValue kv : sel) {
                if (!holds(c, kv)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(Compare c, KeyValue kv) {
        int diff = switch (c.getTarget()) {
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            default -> ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), c.getValue());
        };
        return switch (c.getResult()) {
            case EQUAL -> diff == 0;
            case GREATER -> diff > 0;
            case LESS -> diff < 0;
            default -> diff != 0;
        };
    }

    private static boolean writes(TxnRequest r) {
        List<RequestOp> all = new ArrayList<>(r.getSuccessList());
        all.addAll(r.getFailureList());
        for (RequestOp op : all) {
            if (op.hasRequestPut() || op.hasRequestDeleteRange() || op.hasRequestTxn() && writes(op.getRequestTxn())) {
                return true;
            }
        }
        return false;
    }

    /** etcd checks puts (all of the taken path) before ranges, each against the state before the txn. */
    private void precheck(TxnRequest r, Map<ByteString, KeyValue> before, boolean puts) {
        for (RequestOp op : compares(r, before) ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                precheck(op.getRequestTxn(), before, puts);
            } else if (puts && op.hasRequestPut()) {
                PutRequest p = op.getRequestPut();
                if ((p.getIgnoreValue() || p.getIgnoreLease()) && !before.containsKey(p.getKey())) {
                    throw EtcdErrors.KEY_NOT_FOUND;
                }
                if (p.getLease() != 0 && !leaseExists.test(p.getLease())) {
                    throw EtcdErrors.LEASE_NOT_FOUND;
                }
            } else if (!puts && op.hasRequestRange() && op.getRequestRange().getRevision() != 0) {
                long rev = op.getRequestRange().getRevision();
                if (rev > ks.current()) {
                    throw EtcdErrors.FUTURE_REV;
                }
                if (rev < ks.compacted()) {
                    throw EtcdErrors.COMPACTED;
                }
            }
        }
    }
}
