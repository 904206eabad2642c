package io.pgha.store.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import io.pgha.store.proto.LogEntry;
import io.pgha.store.proto.LogReply;
import io.pgha.store.proto.StoreQuery;
import io.pgha.store.proto.StoreQueryReply;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.rpc.CallId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends log entries and queries through a member's {@link org.apache.ratis.client.RaftClient}, and turns every
 * outcome into an etcd answer: a reply, an etcd business error, or UNAVAILABLE ({@link EtcdErrors#NO_LEADER} when
 * this member knows no leader, {@link EtcdErrors#TIMED_OUT} otherwise). Every call completes within the request
 * timeout, whatever the Raft client is still doing.
 */
final class RaftCalls {
    private static final long LEADER_RETRY_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(RaftCalls.class);

    private final RaftStoreNode node;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;

    RaftCalls(RaftStoreNode node, ScheduledExecutorService scheduler) {
        this.node = node;
        this.scheduler = scheduler;
        this.timeout = node.config().timeouts().request();
    }

    /** Replicates one entry; completes with its reply once applied, or with its business error. */
    CompletableFuture<LogReply> write(LogEntry entry) {
        byte[] bytes = entry.toByteArray();
        if (bytes.length > EtcdStateMachine.MAX_ENTRY_BYTES) {
            return CompletableFuture.failedFuture(EtcdErrors.REQUEST_TOO_LARGE);
        }
        Message message = EtcdStateMachine.toMessage(bytes);
        CompletableFuture<RaftClientReply> sent = node.isLeader() ? leaderFirst(message) : toLeader(message);
        CompletableFuture<LogReply> applied = sent
                .thenApply(reply -> {
                    LogReply logReply = logReply(reply);
                    return node.stateMachine().awaitApplied(reply.getLogIndex()).thenApply(v -> logReply);
                })
                .thenCompose(f -> f);
        return bounded(applied);
    }

    /**
     * On the leader, the entry goes to the local server directly; if leadership moved meanwhile nothing was
     * appended (not-leader or leader-not-ready), and it goes through the client to the new leader.
     */
    private CompletableFuture<RaftClientReply> leaderFirst(Message message) {
        return node.writeLocally(message, timeout.toMillis()).handle((reply, error) -> {
            if (error == null && (reply.isSuccess() || !notAppended(reply.getException()))) {
                return CompletableFuture.completedFuture(reply);
            }
            if (error != null && !notAppended(error)) {
                return CompletableFuture.<RaftClientReply>failedFuture(error);
            }
            return toLeader(message);
        }).thenCompose(f -> f);
    }

    /**
     * A write from a member that does not lead: sent straight to the leader this member's server knows, on the
     * client's unordered stream, and sent again (same client and call ID, so the leader's retry cache answers a
     * repeat it already applied) while leadership moves, until the deadline. Ratis' ordered client would queue every
     * later write behind one it is still retrying against a dead leader, for seconds after a new one was elected.
     */
    private CompletableFuture<RaftClientReply> toLeader(Message message) {
        CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        attemptWrite(message, CallId.getAndIncrement(), System.nanoTime() + timeout.toNanos(), result);
        return result;
    }

    private void attemptWrite(Message message, long callId, long deadline, CompletableFuture<RaftClientReply> result) {
        long left = deadline - System.nanoTime();
        Optional<RaftPeerId> leader = node.leaderId();
        if (leader.isEmpty()) {
            retryOrFail(() -> attemptWrite(message, callId, deadline, result), deadline, result, unavailable());
            return;
        }
        RaftClient client;
        CompletableFuture<RaftClientReply> sent;
        try {
            client = node.client();
            sent = node.writeTo(client, leader.get(), message, callId, Math.max(1, left / 1_000_000));
        } catch (RuntimeException e) {
            retryOrFail(() -> attemptWrite(message, callId, deadline, result), deadline, result, failure(e));
            return;
        }
        sent.orTimeout(Math.max(1, left / 1_000_000), TimeUnit.MILLISECONDS).whenComplete((reply, error) -> {
            if (error == null && (reply.isSuccess() || !notAppended(reply.getException()))) {
                result.complete(reply);
                return;
            }
            if (error != null && closed(error)) {
                node.discardClient(client);
            }
            StoreException last = failure(error != null ? error : reply.getException());
            retryOrFail(() -> attemptWrite(message, callId, deadline, result), deadline, result, last);
        });
    }


    private static boolean notAppended(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NotLeaderException || t instanceof LeaderNotReadyException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A linearizable read served by this member after a ReadIndex round; submitted to the local server directly
     * (no client, no network hop), retried while there is no leader to confirm the read index, until the deadline.
     */
    CompletableFuture<StoreQueryReply> readHere(StoreQuery query) {
        return read(query.toByteArray(), Target.HERE);
    }

    /** A query only the leader answers (lease renewals); retried while leadership moves, until the deadline. */
    CompletableFuture<StoreQueryReply> readLeader(StoreQuery query) {
        return read(query.toByteArray(), Target.LEADER);
    }

    private enum Target { HERE, LEADER }

    private static final long LOCAL_READ_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private CompletableFuture<StoreQueryReply> read(byte[] query, Target target) {
        CompletableFuture<StoreQueryReply> result = new CompletableFuture<>();
        attemptRead(query, target, System.nanoTime() + timeout.toNanos(), result);
        return result;
    }

    private void attemptRead(byte[] query, Target target, long deadline, CompletableFuture<StoreQueryReply> result) {
        // A local ReadIndex read can stall on a member that has just joined and is still catching up; give it a
        // slice of the deadline and then ask the leader, whose ReadIndex answer is just as linearizable.
        long left = target == Target.HERE
                ? Math.min(deadline - System.nanoTime(), LOCAL_READ_SLICE_NANOS) : deadline - System.nanoTime();
        Message message = EtcdStateMachine.toMessage(query);
        CompletableFuture<RaftClientReply> sent;
        RaftClient client = null;
        try {
            if (target == Target.HERE) {
                sent = node.readLocally(message, TimeUnit.NANOSECONDS.toMillis(left));
            } else {
                Optional<RaftPeerId> leader = node.leaderId();
                if (leader.isEmpty()) {
                    retryOrFail(() -> attemptRead(query, target, deadline, result), deadline, result, unavailable());
                    return;
                }
                client = node.client();
                sent = client.async().sendReadOnlyUnordered(message, leader.get());
            }
        } catch (RuntimeException e) {
            retryOrFail(() -> attemptRead(query, Target.LEADER, deadline, result), deadline, result, failure(e));
            return;
        }
        RaftClient used = client;
        sent.orTimeout(Math.max(1, left / 1_000_000), TimeUnit.MILLISECONDS).whenComplete((reply, error) -> {
            try {
                if (error != null) {
                    if (used != null && closed(error)) {
                        node.discardClient(used);
                    }
                    throw failure(error);
                }
                result.complete(queryReply(reply));
            } catch (StoreException e) {
                if (e == EtcdErrors.NOT_LEADER || e.code() == EtcdErrors.UNAVAILABLE) {
                    retryOrFail(() -> attemptRead(query, Target.LEADER, deadline, result), deadline, result, e);
                } else {
                    result.completeExceptionally(e);
                }
            }
        });
    }

    /**
     * Runs {@code attempt} again after a short pause while the deadline allows one more; otherwise fails
     * {@code result} with {@code last} (UNAVAILABLE whatever it was).
     */
    private void retryOrFail(Runnable attempt, long deadline, CompletableFuture<?> result, StoreException last) {
        if (result.isDone()) {
            return;
        }
        if (deadline - System.nanoTime() <= TimeUnit.MILLISECONDS.toNanos(LEADER_RETRY_MILLIS)) {
            result.completeExceptionally(last.code() == EtcdErrors.UNAVAILABLE ? last : unavailable());
            return;
        }
        try {
            scheduler.schedule(attempt, LEADER_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(EtcdErrors.STOPPED);
        }
    }

    /** The same outcome, or UNAVAILABLE once the request timeout has passed. */
    private <T> CompletableFuture<T> bounded(CompletableFuture<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(failure(error));
            } else {
                result.complete(value);
            }
        });
        expireAfterTimeout(result);
        return result;
    }

    /** Fails the call UNAVAILABLE once the request timeout has passed; the timer is cancelled when it completes. */
    private void expireAfterTimeout(CompletableFuture<?> result) {
        try {
            ScheduledFuture<?> timer = scheduler.schedule(() -> result.completeExceptionally(unavailable()),
                    timeout.toMillis(), TimeUnit.MILLISECONDS);
            result.whenComplete((v, e) -> timer.cancel(false));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(EtcdErrors.STOPPED);
        }
    }

    private static boolean closed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AlreadyClosedException) {
                return true;
            }
        }
        return false;
    }

    private LogReply logReply(RaftClientReply reply) {
        requireSuccess(reply);
        try {
            LogReply logReply = LogReply.parseFrom(reply.getMessage().getContent().toByteArray());
            if (logReply.hasError()) {
                throw StoreException.fromProto(logReply.getError());
            }
            return logReply;
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException(EtcdErrors.UNKNOWN, "pgha: malformed log reply");
        }
    }

    private StoreQueryReply queryReply(RaftClientReply reply) {
        requireSuccess(reply);
        try {
            StoreQueryReply queryReply = StoreQueryReply.parseFrom(reply.getMessage().getContent().toByteArray());
            if (queryReply.hasError()) {
                StoreException e = StoreException.fromProto(queryReply.getError());
                throw e.getMessage().equals(EtcdErrors.NOT_LEADER.getMessage()) ? EtcdErrors.NOT_LEADER : e;
            }
            return queryReply;
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException(EtcdErrors.UNKNOWN, "pgha: malformed query reply");
        }
    }

    private void requireSuccess(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw failure(reply.getException());
        }
    }

    /** Maps what Ratis reports to etcd: rejected entries keep their message, anything else is UNAVAILABLE. */
    private StoreException failure(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StoreException e) {
            return e;
        }
        if (cause instanceof StateMachineException && cause.getMessage() != null
                && cause.getMessage().contains(EtcdErrors.REQUEST_TOO_LARGE.getMessage())) {
            return EtcdErrors.REQUEST_TOO_LARGE;
        }
        LOG.debug("{}: Raft call failed, answering UNAVAILABLE", node.peerId(), cause);
        return unavailable();
    }

    private StoreException unavailable() {
        return node.leaderId().isPresent() ? EtcdErrors.TIMED_OUT : EtcdErrors.NO_LEADER;
    }
}
