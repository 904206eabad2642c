package io.pgha.store.api;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelPipeline;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.pgha.store.api.gateway.HttpGateway;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides, from a connection's first bytes, which protocol it speaks, as etcd's cmux does on port 2379: the
 * HTTP/2 client preface ({@code PRI * HTTP/2.0...}, sent first by every gRPC client over cleartext) goes to the
 * gRPC server, anything else to the HTTP/1.1 JSON gateway. It decides at the first byte that differs from the
 * preface, so an HTTP/1.1 request is never held back waiting for 24 bytes.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
    static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Gateway bodies are JSON with base64 values, a third larger than the message they decode to; bodies up to
     * 4 times the gRPC limit reach the gateway, which answers oversized messages as etcd does. Larger ones get 413.
     */
    private static final int MAX_HTTP_BODY = 4 * EtcdApiServer.MAX_INBOUND_MESSAGE_BYTES;

    private final SocketAddress grpcBackend;
    private final Supplier<HttpGateway> gateways;

    ProtocolSniffer(SocketAddress grpcBackend, Supplier<HttpGateway> gateways) {
        this.grpcBackend = grpcBackend;
        this.gateways = gateways;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int available = Math.min(in.readableBytes(), HTTP2_PREFACE.length);
        for (int i = 0; i < available; i++) {
            if (in.getByte(in.readerIndex() + i) != HTTP2_PREFACE[i]) {
                toGateway(ctx.pipeline());
                return;
            }
        }
        if (available == HTTP2_PREFACE.length) {
            ctx.pipeline().addLast(new GrpcRelay.Frontend(grpcBackend));
            ctx.pipeline().remove(this); // hands the buffered preface on to the relay
        }
    }

    private void toGateway(ChannelPipeline pipeline) {
        pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_HTTP_BODY), gateways.get());
        pipeline.remove(this);
    }
}
