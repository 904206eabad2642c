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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.StateMachineException;

/**
 * Sends log entries and queries through a member's {@link org.apache.ratis.client.RaftClient}, and turns every
 * outcome into an etcd answer: a reply, an etcd business error, or UNAVAILABLE ({@link EtcdErrors#NO_LEADER} when
 * this member knows no leader, {@link EtcdErrors#TIMED_OUT} otherwise). Every call completes within the request
 * timeout, whatever the Raft client is still doing.
 */
final class RaftCalls {
    private static final long LEADER_RETRY_MILLIS = 50;

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
        return withDeadline(client -> client.async().send(EtcdStateMachine.toMessage(bytes)))
                .thenApply(this::logReply);
    }

    /** A linearizable read served by this member after a ReadIndex round. */
    CompletableFuture<StoreQueryReply> readHere(StoreQuery query) {
        byte[] bytes = query.toByteArray();
        return withDeadline(client -> client.async()
                .sendReadOnlyUnordered(EtcdStateMachine.toMessage(bytes), node.peerId()))
                .thenApply(this::queryReply);
    }

    /** A query only the leader answers (lease renewals); retried while leadership moves, until the deadline. */
    CompletableFuture<StoreQueryReply> readLeader(StoreQuery query) {
        CompletableFuture<StoreQueryReply> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        attemptLeaderRead(query.toByteArray(), deadline, result);
        return result;
    }

    private void attemptLeaderRead(byte[] query, long deadline, CompletableFuture<StoreQueryReply> result) {
        Optional<RaftPeerId> leader = node.leaderId();
        long left = deadline - System.nanoTime();
        if (leader.isEmpty()) {
            retryOrFail(query, deadline, result, unavailable());
            return;
        }
        CompletableFuture<RaftClientReply> sent;
        RaftClient client;
        try {
            client = node.client();
            sent = client.async().sendReadOnlyUnordered(EtcdStateMachine.toMessage(query), leader.get());
        } catch (RuntimeException e) {
            retryOrFail(query, deadline, result, failure(e));
            return;
        }
        sent.orTimeout(Math.max(1, left / 1_000_000), TimeUnit.MILLISECONDS).whenComplete((reply, error) -> {
            try {
                if (error != null) {
                    if (closed(error)) {
                        node.discardClient(client);
                    }
                    throw failure(error);
                }
                result.complete(queryReply(reply));
            } catch (StoreException e) {
                if (e == EtcdErrors.NOT_LEADER || e.code() == EtcdErrors.UNAVAILABLE) {
                    retryOrFail(query, deadline, result, e);
                } else {
                    result.completeExceptionally(e);
                }
            }
        });
    }

    private void retryOrFail(byte[] query, long deadline, CompletableFuture<StoreQueryReply> result,
            StoreException last) {
        long left = deadline - System.nanoTime();
        if (left <= TimeUnit.MILLISECONDS.toNanos(LEADER_RETRY_MILLIS)) {
            result.completeExceptionally(last.code() == EtcdErrors.UNAVAILABLE ? last : unavailable());
            return;
        }
        try {
            scheduler.schedule(() -> attemptLeaderRead(query, deadline, result), LEADER_RETRY_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(EtcdErrors.STOPPED);
        }
    }

    private CompletableFuture<RaftClientReply> withDeadline(
            Function<RaftClient, CompletableFuture<RaftClientReply>> call) {
        CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
        send(call, result, true);
        try {
            scheduler.schedule(() -> result.completeExceptionally(unavailable()), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(EtcdErrors.STOPPED);
        }
        return result;
    }

    /** One send; a client found closed is replaced and the call sent once more on the new one. */
    private void send(Function<RaftClient, CompletableFuture<RaftClientReply>> call,
            CompletableFuture<RaftClientReply> result, boolean mayRetry) {
        RaftClient client;
        CompletableFuture<RaftClientReply> sent;
        try {
            client = node.client();
            sent = call.apply(client);
        } catch (RuntimeException e) {
            result.completeExceptionally(failure(e));
            return;
        }
        sent.whenComplete((reply, error) -> {
            if (error == null) {
                result.complete(reply);
            } else if (closed(error)) {
                node.discardClient(client);
                if (mayRetry && !result.isDone()) {
                    send(call, result, false);
                } else {
                    result.completeExceptionally(failure(error));
                }
            } else {
                result.completeExceptionally(failure(error));
            }
        });
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
        return unavailable();
    }

    private StoreException unavailable() {
        return node.leaderId().isPresent() ? EtcdErrors.TIMED_OUT : EtcdErrors.NO_LEADER;
    }
}
