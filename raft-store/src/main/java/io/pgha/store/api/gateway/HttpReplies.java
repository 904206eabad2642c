package io.pgha.store.api.gateway;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpContent;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.LastHttpContent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;

/** Writes gateway responses the way grpc-gateway v1 and etcd's HTTP handlers do. Thread-safe. */
final class HttpReplies {
    private static final String JSON = "application/json";

    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;

    HttpReplies(ChannelHandlerContext ctx, boolean keepAlive) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
    }

    /** grpc-gateway v1 HTTPStatusFromCode, with FailedPrecondition as etcd 3.4.23 answers it (412, observed). */
    static HttpResponseStatus httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> HttpResponseStatus.OK;
            case CANCELLED -> HttpResponseStatus.REQUEST_TIMEOUT;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpResponseStatus.BAD_REQUEST;
            case DEADLINE_EXCEEDED -> HttpResponseStatus.GATEWAY_TIMEOUT;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpResponseStatus.CONFLICT;
            case PERMISSION_DENIED -> HttpResponseStatus.FORBIDDEN;
            case UNAUTHENTICATED -> HttpResponseStatus.UNAUTHORIZED;
            case RESOURCE_EXHAUSTED -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case FAILED_PRECONDITION -> HttpResponseStatus.PRECONDITION_FAILED;
            case UNIMPLEMENTED -> HttpResponseStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            default -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
        };
    }

    void sendText(HttpResponseStatus status, String text) {
        send(status, "text/plain; charset=utf-8", text + "\n");
    }

    void sendJson(HttpResponseStatus status, String json) {
        send(status, JSON, json);
    }

    void sendHealth(boolean healthy) {
        send(healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
                "{\"health\":\"" + healthy + "\"}");
    }

    /** A unary error: {@code {"error":m,"message":m,"code":n}} with the mapped HTTP status. */
    void sendError(Status status) {
        sendJson(httpStatus(status.getCode()), unaryError(status));
    }

    static String unaryError(Status status) {
        String message = quote(status.getDescription() == null ? "" : status.getDescription());
        return "{\"error\":" + message + ",\"message\":" + message + ",\"code\":" + status.getCode().value() + "}";
    }

    private void send(HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    StreamObserver<Message> unaryObserver() {
        return new StreamObserver<>() {
            private Message response;

            @Override
            public void onNext(Message value) {
                response = value;
            }

            @Override
            public void onError(Throwable t) {
                sendError(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                sendJson(HttpResponseStatus.OK, JsonBodies.print(response));
            }
        };
    }

    /**
     * A chunked response: one {@code {"result":...}} line per message, flushed each time. An error before the
     * first message sets the HTTP status; later it is a final {@code {"error":{...}}} chunk.
     */
    StreamObserver<Message> streamObserver(Runnable onEnd) {
        return streamObserver(onEnd, m -> false);
    }

    /**
     * As {@link #streamObserver(Runnable)}; after a message for which {@code endAfter} holds the response ends
     * normally and {@code onEnd} runs (the caller then cancels the call; its late error is not written).
     */
    StreamObserver<Message> streamObserver(Runnable onEnd, java.util.function.Predicate<Message> endAfter) {
        return new StreamObserver<>() {
            private boolean started;
            private boolean ended;

            private void start(HttpResponseStatus status) {
                if (!started) {
                    started = true;
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
                    head.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON);
                    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    HttpUtil.setKeepAlive(head, keepAlive);
                    ctx.write(head);
                }
            }

            @Override
            public synchronized void onNext(Message value) {
                if (ended) {
                    return;
                }
                start(HttpResponseStatus.OK);
                chunk("{\"result\":" + JsonBodies.print(value) + "}\n");
                if (endAfter.test(value)) {
                    end();
                }
            }

            @Override
            public synchronized void onError(Throwable t) {
                if (ended) {
                    return;
                }
                Status status = Status.fromThrowable(t);
                start(httpStatus(status.getCode()));
                chunk(streamError(status));
                end();
            }

            @Override
            public synchronized void onCompleted() {
                if (ended) {
                    return;
                }
                start(HttpResponseStatus.OK);
                end();
            }

            private void end() {
                ended = true;
                var written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
                onEnd.run();
            }
        };
    }

    private void chunk(String text) {
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }

    /** grpc-gateway v1's streamChunk error: {@code {"error":{grpc_code,http_code,message,http_status}}}. */
    static String streamError(Status status) {
        HttpResponseStatus http = httpStatus(status.getCode());
        String message = quote(status.getDescription() == null ? "" : status.getDescription());
        return "{\"error\":{\"grpc_code\":" + status.getCode().value() + ",\"http_code\":" + http.code()
                + ",\"message\":" + message + ",\"http_status\":" + quote(http.reasonPhrase()) + "}}";
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe: {@code < > &} escaped). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
