package io.pgha.store.mvcc;

import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.ResponseHeader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** etcd v3.4's Range (etcdserver/apply.go): fetch, filter by revisions, sort, truncate to the limit. */
public final class RangeExecutor {
    private RangeExecutor() {
    }

    /**
     * Serves {@code r} from {@code store} whose current revision (as the reader sees it, e.g. inside a txn) is
     * {@code cur}. The header carries only {@code revision = cur}. Throws ErrFutureRev / ErrCompacted.
     */
    public static RangeResponse range(MvccStore store, RangeRequest r, long cur) {
        long rev = store.readRevision(r.getRevision(), cur);
        List<KeyValue> all = store.rangeAt(KeyRange.of(r.getKey(), r.getRangeEnd()), rev);
        RangeResponse.Builder out = RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(cur)).setCount(all.size());
        if (r.getCountOnly()) {
            return out.build();
        }
        List<KeyValue> kvs = filter(all, r);
        sort(kvs, r);
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            out.setMore(true);
        }
        for (KeyValue kv : kvs) {
            out.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return out.build();
    }

    private static List<KeyValue> filter(List<KeyValue> all, RangeRequest r) {
        if (r.getMinModRevision() == 0 && r.getMaxModRevision() == 0 && r.getMinCreateRevision() == 0
                && r.getMaxCreateRevision() == 0) {
            return all;
        }
        List<KeyValue> out = new ArrayList<>(all.size());
        for (KeyValue kv : all) {
            if (r.getMaxModRevision() != 0 && kv.getModRevision() > r.getMaxModRevision()
                    || r.getMinModRevision() != 0 && kv.getModRevision() < r.getMinModRevision()
                    || r.getMaxCreateRevision() != 0 && kv.getCreateRevision() > r.getMaxCreateRevision()
                    || r.getMinCreateRevision() != 0 && kv.getCreateRevision() < r.getMinCreateRevision()) {
                continue;
            }
            out.add(kv);
        }
        return out;
    }

    /** Stable sorts: ties keep key order, which is what etcd's sort gives for the small results it usually sorts. */
    private static void sort(List<KeyValue> kvs, RangeRequest r) {
        RangeRequest.SortOrder order = r.getSortOrder();
        if (r.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        if (order == RangeRequest.SortOrder.NONE || order == RangeRequest.SortOrder.ASCEND
                && r.getSortTarget() == RangeRequest.SortTarget.KEY) {
            return;
        }
        Comparator<KeyValue> by = switch (r.getSortTarget()) {
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, KeyRange.ORDER);
            default -> Comparator.comparing(KeyValue::getKey, KeyRange.ORDER);
        };
        kvs.sort(order == RangeRequest.SortOrder.DESCEND ? by.reversed() : by);
    }
}
