package io.pgha.store.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pgha.store.EtcdErrors;
import io.pgha.store.StoreException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Completes unary calls from store futures and maps failures to gRPC statuses with etcd's messages. */
final class Replies {
    private Replies() {
    }

    /** Sends the stamped result, or the mapped error, when the future completes. */
    static <T, R> void reply(CompletableFuture<T> future, Function<T, R> stamp, StreamObserver<R> observer) {
        future.whenComplete((value, error) -> {
            if (error != null) {
                observer.onError(toStatus(error));
                return;
            }
            R response;
            try {
                response = stamp.apply(value);
            } catch (RuntimeException e) {
                observer.onError(toStatus(e));
                return;
            }
            observer.onNext(response);
            observer.onCompleted();
        });
    }

    /** Runs a call that may throw synchronously (validation) and replies. */
    static <T, R> void call(java.util.function.Supplier<CompletableFuture<T>> call, Function<T, R> stamp,
            StreamObserver<R> observer) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        reply(future, stamp, observer);
    }

    static StatusRuntimeException error(StoreException e) {
        return Status.fromCodeValue(e.code()).withDescription(e.getMessage()).asRuntimeException();
    }

    static StatusRuntimeException unimplemented(String message) {
        return Status.UNIMPLEMENTED.withDescription(message).asRuntimeException();
    }

    /** etcd's status for a failure: the store's code and message, or UNKNOWN with the cause's message. */
    static StatusRuntimeException toStatus(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof StoreException se) {
            return error(se);
        }
        if (cause instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (cause instanceof CancellationException) {
            return error(EtcdErrors.TIMED_OUT);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Status.UNKNOWN.withDescription(message).withCause(cause).asRuntimeException();
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
