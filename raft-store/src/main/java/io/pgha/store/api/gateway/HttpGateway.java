package io.pgha.store.api.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.pgha.store.api.EtcdApiServer;
import io.pgha.store.proto.KVGrpc;
import io.pgha.store.proto.RangeRequest;
import io.pgha.store.proto.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 connection of the JSON gateway. Requests are aggregated (bodies up to the gRPC message limit), routed
 * by path, parsed, and forwarded to the API over an in-process gRPC channel, as grpc-gateway forwards to etcd's gRPC
 * server. A streaming call lives until it ends or the client disconnects; the disconnect cancels it.
 */
public final class HttpGateway extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** etcd's {@code /version} answer; Patroni parses both as dot-separated integers. */
    static final String VERSION_JSON = "{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}";

    private final Channel api;
    private volatile RequestSide activeStream;

    /** @param api an in-process channel to the etcd gRPC services */
    public HttpGateway(Channel api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpReplies out = new HttpReplies(ctx, keepAlive);
        if (!request.decoderResult().isSuccess()) {
            out.sendText(HttpResponseStatus.BAD_REQUEST, "400 Bad Request");
            ctx.close();
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.startsWith("/v3beta/")) {
            path = "/v3/" + path.substring("/v3beta/".length());
        }
        if ("/version".equals(path) || "/health".equals(path)) {
            plain(out, request.method(), path);
            return;
        }
        MethodDescriptor<Message, Message> method = GatewayRoutes.find(path);
        if (method == null) {
            out.sendText(HttpResponseStatus.NOT_FOUND, path.startsWith("/v3/") ? "Not Found" : "404 page not found");
        } else if (!HttpMethod.POST.equals(request.method())) {
            out.sendText(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
        } else {
            String body = request.content().toString(StandardCharsets.UTF_8);
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                unary(out, method, body);
            } else {
                stream(out, method, body);
            }
        }
    }

    private void plain(HttpReplies out, HttpMethod httpMethod, String path) {
        if (!HttpMethod.GET.equals(httpMethod)) {
            out.sendText(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
        } else if ("/version".equals(path)) {
            out.sendJson(HttpResponseStatus.OK, VERSION_JSON);
        } else {
            RangeRequest probe = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health")).build();
            ClientCalls.asyncUnaryCall(api.newCall(KVGrpc.getRangeMethod(), CallOptions.DEFAULT), probe,
                    new StreamObserver<>() {
                        @Override
                        public void onNext(io.pgha.store.proto.RangeResponse value) {
                            out.sendHealth(true);
                        }

                        @Override
                        public void onError(Throwable t) {
                            out.sendHealth(false);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
        }
    }

    private void unary(HttpReplies out, MethodDescriptor<Message, Message> method, String body) {
        Message request;
        try {
            request = JsonBodies.parseFirst(body, GatewayRoutes.requestPrototype(method));
        } catch (InvalidProtocolBufferException e) {
            out.sendError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
            return;
        }
        int size = request.getSerializedSize();
        if (size > EtcdApiServer.MAX_INBOUND_MESSAGE_BYTES) {
            // what etcd's gateway relays from its gRPC server (observed); the in-process call does not measure
            out.sendError(Status.RESOURCE_EXHAUSTED.withDescription(String.format(
                    "grpc: received message larger than max (%d vs. %d)", size,
                    EtcdApiServer.MAX_INBOUND_MESSAGE_BYTES)));
            return;
        }
        ClientCalls.asyncUnaryCall(api.newCall(method, CallOptions.DEFAULT), request, out.unaryObserver());
    }

    private void stream(HttpReplies out, MethodDescriptor<Message, Message> method, String body) {
        List<Message> requests;
        try {
            requests = JsonBodies.parseAll(body, GatewayRoutes.requestPrototype(method));
        } catch (InvalidProtocolBufferException e) {
            // grpc-gateway reports a body that does not decode on a stream as code 2 with HTTP 500 (observed)
            out.sendError(Status.UNKNOWN.withDescription(e.getMessage()));
            return;
        }
        StreamObserver<Message> responses = out.streamObserver(this::endStream, HttpGateway::serverCancelled);
        if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
            Message request = requests.isEmpty() ? GatewayRoutes.requestPrototype(method) : requests.get(0);
            ClientCalls.asyncServerStreamingCall(api.newCall(method, CallOptions.DEFAULT), request, responses);
            return;
        }
        RequestSide call = new RequestSide(
                ClientCalls.asyncBidiStreamingCall(api.newCall(method, CallOptions.DEFAULT), responses));
        activeStream = call;
        call.sendAll(requests); // the request body has ended; keepalive then ends, watch stays open (as etcd)
    }

    /**
     * The request half of a bidi call. The response side may end the call (a watch the server cancelled) on a gRPC
     * thread while this connection's event loop is still sending the requests: cancelling then, between the last
     * message and the half-close, made the half-close throw, and the exception closed the connection before the
     * already written response reached it. Sending and cancelling therefore exclude each other, and nothing is sent
     * after a cancel.
     */
    private static final class RequestSide {
        private final StreamObserver<Message> call;
        private boolean cancelled;

        RequestSide(StreamObserver<Message> call) {
            this.call = call;
        }

        synchronized void sendAll(List<Message> requests) {
            for (Message m : requests) {
                if (cancelled) {
                    return;
                }
                call.onNext(m);
            }
            if (!cancelled) {
                call.onCompleted();
            }
        }

        synchronized void cancel(String why) {
            if (!cancelled) {
                cancelled = true;
                call.onError(Status.CANCELLED.withDescription(why).asRuntimeException());
            }
        }
    }

    /**
     * A watch the server cancelled (compacted start revision, a watcher that fell behind) ends the HTTP response:
     * Patroni 3.0 ignores {@code canceled} and would otherwise wait forever on a dead watch, while every Patroni
     * version re-reads and re-watches when the response ends. A cancel the client asked for carries neither a
     * compact revision nor a reason and keeps the stream open, as in etcd.
     */
    static boolean serverCancelled(Message m) {
        return m instanceof WatchResponse w && w.getCanceled()
                && (w.getCompactRevision() != 0 || !w.getCancelReason().isEmpty());
    }

    private void endStream() {
        RequestSide stream = activeStream;
        activeStream = null;
        if (stream != null) {
            stream.cancel("HTTP response ended");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        RequestSide stream = activeStream;
        activeStream = null;
        if (stream != null) {
            stream.cancel("HTTP client went away");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a broken connection concerns this client only; the server keeps serving the others
        ctx.close();
    }
}
