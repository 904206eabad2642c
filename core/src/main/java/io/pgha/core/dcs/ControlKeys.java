package io.pgha.core.dcs;

import com.google.protobuf.ByteString;
import io.pgha.store.KvStore;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The operator's writes to the cluster keys (the REST API's planned operations): the {@code failover} request,
 * maintenance mode in {@code config}, and the {@code history} list. Unleased and independent of the HA loop's
 * session; read-modify-writes compare the key's mod revision and retry a few times on a lost race.
 */
public final class ControlKeys {
    private static final int ATTEMPTS = 5;
    private final KvStore kv;
    private final DcsKeys keys;
    private final Duration timeout;

    public ControlKeys(KvStore kv, String cluster, Duration timeout) {
        this.kv = kv;
        this.keys = new DcsKeys(cluster);
        this.timeout = timeout;
    }

    /** Writes a switchover/failover request unless one is already pending; {@code false} if one is. */
    public boolean requestFailover(FailoverRequest request) {
        Compare absent = Compare.newBuilder().setKey(keys.failover()).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build();
        return txn(absent, RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(keys.failover())
                .setValue(ByteString.copyFromUtf8(DcsJson.failover(request)))).build());
    }

    /** Deletes any pending request; {@code false} if there was none. */
    public boolean cancelFailover() {
        return await(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(keys.failover()).build()),
                "delete the failover key").getDeleted() > 0;
    }

    /** Turns maintenance mode on or off ({@code pause} in the dynamic configuration, as Patroni keeps it). */
    public void setPaused(boolean pause) {
        update(keys.key("config"), current -> DcsJson.withPause(current, pause));
    }

    private void update(ByteString key, Function<Optional<String>, String> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<KeyValue> kvs = await(kv.range(RangeRequest.newBuilder().setKey(key).build()), "read "
                    + key.toStringUtf8()).getKvsList();
            Optional<String> current = kvs.isEmpty() ? Optional.empty()
                    : Optional.of(kvs.get(0).getValue().toStringUtf8());
            long mod = kvs.isEmpty() ? 0 : kvs.get(0).getModRevision();
            Compare same = Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
                    .setResult(Compare.CompareResult.EQUAL).setModRevision(mod).build();
            RequestOp put = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
                    .setValue(ByteString.copyFromUtf8(change.apply(current)))).build();
            if (txn(same, put)) {
                return;
            }
        }
        throw new DcsException("lost " + ATTEMPTS + " races to update " + key.toStringUtf8(), null);
    }

    private boolean txn(Compare compare, RequestOp then) {
        return await(kv.txn(TxnRequest.newBuilder().addCompare(compare).addSuccess(then).build()),
                "write " + compare.getKey().toStringUtf8()).getSucceeded();
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DcsException("store did not answer within " + timeout + " to " + what, e);
        } catch (ExecutionException e) {
            throw new DcsException("store refused to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DcsException("interrupted while waiting to " + what, e);
        }
    }
}
