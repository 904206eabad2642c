package io.pgha.core.dcs;

import com.google.protobuf.ByteString;
import io.pgha.core.postgres.Lsn;
import io.pgha.store.KvStore;
import io.pgha.store.Watch;
import io.pgha.store.proto.Compare;
import io.pgha.store.proto.DeleteRangeRequest;
import io.pgha.store.proto.Event;
import io.pgha.store.proto.KeyValue;
import io.pgha.store.proto.LeaseGrantRequest;
import io.pgha.store.proto.LeaseKeepAliveRequest;
import io.pgha.store.proto.LeaseTimeToLiveRequest;
import io.pgha.store.proto.PutRequest;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.RangeResponse;
import io.pgha.store.proto.RequestOp;
import io.pgha.store.proto.TxnRequest;
import io.pgha.store.proto.WatchCreateRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Dcs} over the etcd-compatible {@link KvStore}, the way Patroni's etcd3 backend uses etcd: one lease per
 * agent (ttl), shared by the member key and the leader key, kept alive every cycle. The leader key is only written
 * when taken; renewal is a keepalive plus a write-free compare (value and lease), so a healthy leader does not bump
 * the revision (and wake every watcher) each loop.
 */
public final class DefaultDcs implements Dcs {
    private final KvStore kv;
    private final DcsKeys keys;
    private final String name;
    private final long ttlSeconds;
    private final Duration timeout;
    /** Written and read only by the HA loop's thread. */
    private long leaseId;

    public DefaultDcs(KvStore kv, String cluster, String memberName, Duration ttl, Duration timeout) {
        this.kv = kv;
        this.keys = new DcsKeys(cluster);
        this.name = memberName;
        this.ttlSeconds = ttl.toSeconds();
        this.timeout = timeout;
    }

    @Override
    public ClusterView readClusterView() {
        RangeResponse r = await(kv.range(RangeRequest.newBuilder().setKey(keys.key(""))
                .setRangeEnd(keys.prefixEnd()).build()), "read the cluster");
        ClusterViewParts parts = new ClusterViewParts();
        for (KeyValue k : r.getKvsList()) {
            String rel = keys.relative(k.getKey());
            String value = k.getValue().toStringUtf8();
            if (rel == null) {
                continue;
            }
            switch (rel) {
                case "leader" -> parts.leader = Optional.of(new LeaderKey(value, k.getModRevision(), k.getLease()));
                case "initialize" -> parts.initialize = Optional.of(new InitializeKey(value));
                case "config" -> parts.config = Optional.of(value);
                case "failover" -> parts.failover = DcsJson.failover(value, k.getModRevision());
                case "sync" -> parts.sync = DcsJson.sync(value);
                case "history" -> parts.history = DcsJson.history(value);
                case "status" -> parts.leaderLsn = DcsJson.status(value);
                default -> {
                    if (rel.startsWith("members/")) {
                        DcsJson.member(rel.substring("members/".length()), value).ifPresent(parts.members::add);
                    }
                }
            }
        }
        return new ClusterView(keys.cluster(), r.getHeader().getRevision(), parts.initialize, parts.leader,
                parts.members, parts.config, parts.failover, parts.sync, parts.history, parts.leaderLsn);
    }

    @Override
    public boolean tryInitialize(String value) {
        return putIfAbsent(keys.initialize(), value, 0);
    }

    @Override
    public boolean recordSystemId(String systemId) {
        Compare claim = Compare.newBuilder().setKey(keys.initialize()).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL)
                .setValue(ByteString.copyFromUtf8(InitializeKey.claimedBy(name).value())).build();
        return txn(claim, put(keys.initialize(), systemId, 0));
    }

    @Override
    public boolean tryAcquireLeader() {
        return putIfAbsent(keys.leader(), name, liveLease());
    }

    @Override
    public boolean renewLeader() {
        if (leaseId == 0 || !keepAlive()) {
            return false;
        }
        Compare mine = Compare.newBuilder().setKey(keys.leader()).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFromUtf8(name)).build();
        Compare ourLease = Compare.newBuilder().setKey(keys.leader()).setTarget(Compare.CompareTarget.LEASE)
                .setResult(Compare.CompareResult.EQUAL).setLease(leaseId).build();
        // The re-put gives every renewal a new revision, so the others see the leader alive without asking the
        // store's lease clock, which restarts at a full ttl whenever the store's own leadership moves.
        return await(kv.txn(TxnRequest.newBuilder().addCompare(mine).addCompare(ourLease)
                .addSuccess(put(keys.leader(), name, leaseId)).build()), "renew the leader key").getSucceeded();
    }

    @Override
    public boolean takeOverSilentLeader(LeaderKey silent) {
        Compare unchanged = Compare.newBuilder().setKey(keys.leader()).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL).setModRevision(silent.modRevision()).build();
        return txn(unchanged, put(keys.leader(), name, liveLease()));
    }

    @Override
    public long grantedTtlSeconds(long leaseId) {
        return await(kv.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(leaseId).build()),
                "read the leader's lease").getGrantedTTL();
    }

    @Override
    public boolean releaseLeader() {
        Compare mine = Compare.newBuilder().setKey(keys.leader()).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFromUtf8(name)).build();
        RequestOp delete = RequestOp.newBuilder()
                .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(keys.leader())).build();
        return txn(mine, delete);
    }

    @Override
    public void publishMember(MemberState member) {
        long lease = liveLease();
        await(kv.put(PutRequest.newBuilder().setKey(keys.member(name))
                .setValue(ByteString.copyFromUtf8(DcsJson.member(member))).setLease(lease).build()), "publish member");
    }

    @Override
    public void publishWitness() {
        long lease = liveLease();
        await(kv.put(PutRequest.newBuilder().setKey(keys.witness(name)).setValue(ByteString.copyFromUtf8("{}"))
                .setLease(lease).build()), "publish witness");
    }

    /** The names under {@code witnesses/}: the live witnesses (their keys are leased). Safe from any thread. */
    public List<String> readWitnesses() {
        ByteString from = keys.witness("");
        byte[] end = from.toByteArray();
        end[end.length - 1]++;
        RangeResponse r = await(kv.range(RangeRequest.newBuilder().setKey(from).setRangeEnd(ByteString.copyFrom(end))
                .setKeysOnly(true).build()), "read the witnesses");
        return r.getKvsList().stream().map(k -> keys.relative(k.getKey()).substring("witnesses/".length()))
                .sorted().toList();
    }

    @Override
    public void publishStatus(Lsn primaryLsn) {
        await(kv.put(PutRequest.newBuilder().setKey(keys.status())
                .setValue(ByteString.copyFromUtf8(DcsJson.status(primaryLsn))).build()), "publish status");
    }

    @Override
    public void publishHistory(List<HistoryEntry> history) {
        await(kv.put(PutRequest.newBuilder().setKey(keys.history())
                .setValue(ByteString.copyFromUtf8(DcsJson.history(history))).build()), "publish history");
    }

    @Override
    public boolean writeSync(java.util.Set<String> standbys) {
        Compare mine = Compare.newBuilder().setKey(keys.leader()).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.copyFromUtf8(name)).build();
        return txn(mine, put(keys.sync(), DcsJson.sync(new SyncState(name, standbys)), 0));
    }

    @Override
    public boolean clearFailover(long modRevision) {
        Compare same = Compare.newBuilder().setKey(keys.failover()).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL).setModRevision(modRevision).build();
        return txn(same, RequestOp.newBuilder()
                .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(keys.failover())).build());
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        Watch w = kv.watch(WatchCreateRequest.newBuilder().setKey(keys.key("")).setRangeEnd(keys.prefixEnd())
                .setPrevKv(true).build(), response -> {
                    if (response.getCanceled() || response.getEventsList().stream().anyMatch(this::wakesTheLoop)) {
                        onChange.run();
                    }
                });
        return w::cancel;
    }

    /**
     * Every agent re-publishes its member key (and the primary the {@code status} key) each cycle, and every renewal
     * re-puts the leader key; waking on those would make all agents cycle back to back, each write waking the next
     * (the primary even itself). A decision must react at once only when the leader, failover, config, sync or
     * initialize key is created, deleted or given a different value, or when a member starts, stops or changes role:
     * that is what routes the proxies to a new primary, which would otherwise wait up to a loop_wait on each node.
     */
    private boolean wakesTheLoop(Event event) {
        String rel = keys.relative(event.getKv().getKey());
        if (rel == null || rel.startsWith("witnesses/") || rel.equals("status") || rel.equals("history")) {
            return false;
        }
        boolean changed = event.getType() == Event.EventType.DELETE || !event.hasPrevKv()
                || !event.getPrevKv().getValue().equals(event.getKv().getValue());
        if (!changed || !rel.startsWith("members/") || event.getType() == Event.EventType.DELETE) {
            return changed;
        }
        String name = rel.substring("members/".length());
        Optional<MemberState> now = DcsJson.member(name, event.getKv().getValue().toStringUtf8());
        Optional<MemberState> before = DcsJson.member(name, event.getPrevKv().getValue().toStringUtf8());
        return !now.map(MemberState::role).equals(before.map(MemberState::role))
                || !now.map(MemberState::state).equals(before.map(MemberState::state));
    }

    /** This agent's lease, kept alive; a lapsed lease (TTL 0) is replaced by a new grant. */
    private long liveLease() {
        if (leaseId == 0 || !keepAlive()) {
            leaseId = await(kv.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build()),
                    "grant a lease").getID();
        }
        return leaseId;
    }

    private boolean keepAlive() {
        long ttl = await(kv.leaseKeepAlive(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build()),
                "keep the lease alive").getTTL();
        if (ttl <= 0) {
            leaseId = 0;
            return false;
        }
        return true;
    }

    private boolean putIfAbsent(ByteString key, String value, long lease) {
        Compare absent = Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build();
        return txn(absent, put(key, value, lease));
    }

    private static RequestOp put(ByteString key, String value, long lease) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
                .setValue(ByteString.copyFromUtf8(value)).setLease(lease)).build();
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

    /** Mutable accumulator for one read; frozen into a {@link ClusterView}. */
    private static final class ClusterViewParts {
        Optional<LeaderKey> leader = Optional.empty();
        Optional<InitializeKey> initialize = Optional.empty();
        Optional<String> config = Optional.empty();
        Optional<FailoverRequest> failover = Optional.empty();
        SyncState sync = SyncState.empty();
        List<HistoryEntry> history = List.of();
        Optional<Lsn> leaderLsn = Optional.empty();
        final List<MemberState> members = new ArrayList<>();
    }
}
