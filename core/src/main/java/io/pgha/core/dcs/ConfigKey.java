package io.pgha.core.dcs;

import com.google.protobuf.ByteString;
import io.pgha.store.KvStore;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dynamic configuration key {@code /pgha/<cluster>/config}: read with its mod revision, and written only by a
 * compare-and-set on that revision, so of two concurrent edits based on the same read the second fails instead of
 * silently undoing the first. Not leased: the cluster's configuration outlives every agent.
 */
public final class ConfigKey {
    private final KvStore kv;
    private final DcsKeys keys;
    private final Duration timeout;

    /** The stored document and the revision it was last written at (the CAS base of the next write). */
    public record Stored(String value, long modRevision) {
    }

    public ConfigKey(KvStore kv, String cluster, Duration timeout) {
        this.kv = kv;
        this.keys = new DcsKeys(cluster);
        this.timeout = timeout;
    }

    /** The current document; empty before bootstrap wrote one. */
    public Optional<Stored> read() {
        var r = await(kv.range(RangeRequest.newBuilder().setKey(key()).build()));
        if (r.getKvsCount() == 0) {
            return Optional.empty();
        }
        KeyValue k = r.getKvs(0);
        return Optional.of(new Stored(k.getValue().toStringUtf8(), k.getModRevision()));
    }

    /**
     * Writes {@code value} only if the key is still at {@code modRevision} (0: only if it does not exist). Returns
     * whether it was written; {@code false} means somebody else wrote (or created) it since it was read.
     */
    public boolean compareAndSet(String value, long modRevision) {
        Compare same = modRevision == 0
                ? Compare.newBuilder().setKey(key()).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build()
                : Compare.newBuilder().setKey(key()).setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.EQUAL).setModRevision(modRevision).build();
        RequestOp put = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key())
                .setValue(ByteString.copyFromUtf8(value))).build();
        return await(kv.txn(TxnRequest.newBuilder().addCompare(same).addSuccess(put).build())).getSucceeded();
    }

    private ByteString key() {
        return keys.key("config");
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DcsException("store did not answer within " + timeout + " about the config key", e);
        } catch (ExecutionException e) {
            throw new DcsException("store refused the config key request: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcsException("interrupted while reading the config key", e);
        }
    }
}
