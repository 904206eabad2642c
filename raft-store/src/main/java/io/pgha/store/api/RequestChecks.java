package io.pgha.store.api;

import io.pgha.store.EtcdErrors;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.TxnRequest;

/**
 * The request checks etcd 3.4 makes in its API layer before a request reaches Raft (v3rpc/key.go): the request-shape
 * rules that the store itself also applies (empty keys, ignore_value/ignore_lease misuse, the txn operation limit,
 * overlapping writes in one txn), answered here before anything is proposed, plus the request size limit that only
 * the API layer knows. Each check throws the {@link io.pgha.store.StoreException} etcd answers with.
 */
final class RequestChecks {
    /** etcd's {@code --max-request-bytes} default (1.5 MiB). */
    static final int MAX_REQUEST_BYTES = 1536 * 1024;

    private RequestChecks() {
    }

    static void range(RangeRequest r) {
        io.pgha.store.mvcc.RequestChecks.checkRange(r);
    }

    static void put(PutRequest r) {
        io.pgha.store.mvcc.RequestChecks.checkPut(r);
    }

    static void delete(DeleteRangeRequest r) {
        io.pgha.store.mvcc.RequestChecks.checkDelete(r);
    }

    static void txn(TxnRequest r) {
        io.pgha.store.mvcc.RequestChecks.checkTxn(r);
    }

    static void size(com.google.protobuf.MessageLite request) {
        if (request.getSerializedSize() > MAX_REQUEST_BYTES) {
            throw EtcdErrors.REQUEST_TOO_LARGE;
        }
    }
}
