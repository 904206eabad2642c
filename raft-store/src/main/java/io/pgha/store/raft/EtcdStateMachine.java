package io.pgha.store.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import io.pgha.store.apply.StoreState;
import io.pgha.store.proto.LeaseKeepAliveResponse;
import io.pgha.store.proto.LeaseTimeToLiveResponse;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.StoreError;
import io.pgha.store.proto.StoreQuery;
import io.pgha.store.proto.StoreQueryReply;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine: a thin adapter that feeds committed {@link LogEntry}s to a {@link StoreState} and
 * answers {@link StoreQuery} reads. All etcd semantics live in the {@code StoreState}.
 *
 * <p>Business errors travel inside the {@link LogReply}; an apply never completes exceptionally, because Ratis
 * only releases ReadIndex waiters when apply futures complete normally. Snapshots are one file
 * {@code snapshot.<term>_<index>} in the state's own versioned format, with an MD5 next to it; the same file is
 * what a lagging follower receives in an install-snapshot, after which {@link #reinitialize} reloads it.
 *
 * <p>Leader events drive the {@link LeaderLeases} clock: promoted when this member's leadership is ready (its
 * first entry of the term is applied), demoted when it stops being leader.
 */
public final class EtcdStateMachine extends BaseStateMachine {
    /** etcd's 1.5 MiB request limit plus room for our own envelope. */
    static final int MAX_ENTRY_BYTES = 3 * 512 * 1024 + 1024;
    private static final Logger LOG = LoggerFactory.getLogger(EtcdStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final StoreState state;
    private final LeaderLeases leases;
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private final AppliedIndexWaiters appliedWaiters =
            new AppliedIndexWaiters(() -> getLastAppliedTermIndex().getIndex());

    public EtcdStateMachine(StoreState state, LeaderLeases leases) {
        this.state = state;
        this.leases = leases;
    }

    /** How many snapshots this replica received from a leader (install-snapshot) since it started. */
    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    /**
     * Completes once this replica has applied the entry at {@code index}: a member answers a write only after its
     * own copy has it, so that a read or watch on the same member right after sees the write (as etcd does).
     */
    public CompletableFuture<Void> awaitApplied(long index) {
        return appliedWaiters.await(index);
    }

    @Override
    protected boolean updateLastAppliedTermIndex(long term, long index) {
        boolean updated = super.updateLastAppliedTermIndex(term, index);
        appliedWaiters.release();
        return updated;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            load(storage.getLatestSnapshot());
        });
    }

    /** Before a snapshot install: Ratis requires the PAUSED state to reload (StateMachineUpdater.reload). */
    @Override
    public synchronized void pause() {
        if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After a snapshot install: replaces the whole state with the installed snapshot. */
    @Override
    public synchronized void reinitialize() throws IOException {
        if (getLifeCycle().getCurrentState() != LifeCycle.State.PAUSED) {
            return;
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        load(snapshot);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
        snapshotsInstalled.incrementAndGet();
        LOG.info("{}: reloaded state from installed snapshot {}", getId(), snapshot);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        // Cheap checks only: the leader rejects what no replica could apply before it is logged.
        ByteString data = request.getMessage().getContent();
        if (data.size() > MAX_ENTRY_BYTES) {
            trx.setException(new StateMachineException(EtcdErrors.REQUEST_TOO_LARGE.getMessage()));
        } else {
            LogEntry entry = parse(data);
            if (entry == null) {
                trx.setException(new StateMachineException("pgha: malformed log entry"));
            } else if (entry.hasLeaseExpire() && !leases.isDue(entry.getLeaseExpire().getID())) {
                trx.setException(new StateMachineException("pgha: lease not expired on the current leader"));
            }
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        LogReply reply = apply(entry.getStateMachineLogEntry().getLogData());
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(toMessage(reply.toByteArray()));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        StoreQueryReply reply;
        try {
            reply = answer(StoreQuery.parseFrom(request.getContent().toByteArray()));
        } catch (InvalidProtocolBufferException e) {
            reply = error(new StoreException(EtcdErrors.INVALID_ARGUMENT, "pgha: malformed query"));
        } catch (StoreException e) {
            reply = error(e);
        }
        return CompletableFuture.completedFuture(toMessage(reply.toByteArray()));
    }

    @Override
    public void notifyLeaderReady() {
        leases.promote(state.leaseTtls());
        LOG.info("{}: leader ready, lease clock promoted", getId());
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        leases.demote();
    }

    @Override
    public long takeSnapshot() throws IOException {
        // Called on the apply thread (StateMachineUpdater), so the state does not move while it is written.
        TermIndex last = getLastAppliedTermIndex();
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp.toPath()))) {
            state.writeSnapshot(out);
        }
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        LOG.info("{}: snapshot taken at {}", getId(), last);
        return last.getIndex();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        MD5Hash md5 = snapshot.getFile().getFileDigest();
        if (md5 != null) {
            MD5FileUtil.verifySavedMD5(file, md5);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()))) {
            state.readSnapshot(in);
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
        appliedWaiters.release();
    }

    private LogReply apply(ByteString data) {
        LogEntry command;
        try {
            command = LogEntry.parseFrom(data.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            return LogReply.newBuilder().setError(StoreError.newBuilder()
                    .setCode(EtcdErrors.INVALID_ARGUMENT).setMessage("pgha: malformed log entry")).build();
        }
        LogReply reply = state.apply(command);
        trackLeases(command, reply);
        return reply;
    }

    private void trackLeases(LogEntry command, LogReply reply) {
        switch (command.getCommandCase()) {
            case LEASE_GRANT:
                if (reply.hasLeaseGrant()) {
                    leases.granted(reply.getLeaseGrant().getID(), reply.getLeaseGrant().getTTL());
                }
                break;
            case LEASE_REVOKE:
                leases.revoked(command.getLeaseRevoke().getID());
                break;
            case LEASE_EXPIRE:
                leases.revoked(command.getLeaseExpire().getID());
                break;
            default:
                break;
        }
    }

    private StoreQueryReply answer(StoreQuery query) {
        StoreQueryReply.Builder reply = StoreQueryReply.newBuilder();
        switch (query.getQueryCase()) {
            case RANGE:
                return reply.setRange(state.range(query.getRange())).build();
            case LEASES:
                return reply.setLeases(state.leases()).build();
            case KEEP_ALIVE:
                long id = query.getKeepAlive().getID();
                long ttl = leases.keepAlive(id);
                return reply.setKeepAlive(LeaseKeepAliveResponse.newBuilder().setID(id).setTTL(ttl)).build();
            case TIME_TO_LIVE:
                return reply.setTimeToLive(timeToLive(query)).build();
            default:
                throw new StoreException(EtcdErrors.INVALID_ARGUMENT, "pgha: empty query");
        }
    }

    private LeaseTimeToLiveResponse timeToLive(StoreQuery query) {
        long remaining = leases.remainingSeconds(query.getTimeToLive().getID());
        LeaseTimeToLiveResponse fromState = state.timeToLive(query.getTimeToLive());
        if (fromState.getTTL() == -1) {
            return fromState;
        }
        return fromState.toBuilder().setTTL(Math.max(0, remaining)).build();
    }

    private static LogEntry parse(ByteString data) {
        try {
            LogEntry entry = LogEntry.parseFrom(data.toByteArray());
            return entry.getCommandCase() == LogEntry.CommandCase.COMMAND_NOT_SET ? null : entry;
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static StoreQueryReply error(StoreException e) {
        return StoreQueryReply.newBuilder().setError(e.toProto()).build();
    }

    static Message toMessage(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }
}
