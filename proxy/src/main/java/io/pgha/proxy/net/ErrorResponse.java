package io.pgha.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL {@code ErrorResponse} of severity FATAL, sent before closing a connection the proxy refuses. libpq
 * accepts it in reply to a StartupMessage and also in reply to an SSLRequest or GSSENCRequest, so psql prints
 * {@code FATAL:  <message>} instead of a bare "server closed the connection unexpectedly".
 */
final class ErrorResponse {
    private ErrorResponse() {
    }

    static ByteBuf fatal(ByteBufAllocator alloc, String sqlState, String message) {
        ByteBuf buf = alloc.buffer(64 + message.length());
        buf.writeByte('E');
        int lengthAt = buf.writerIndex();
        buf.writeInt(0);
        field(buf, 'S', "FATAL");
        field(buf, 'V', "FATAL");
        field(buf, 'C', sqlState);
        field(buf, 'M', message);
        buf.writeByte(0);
        buf.setInt(lengthAt, buf.writerIndex() - lengthAt);
        return buf;
    }

    private static void field(ByteBuf buf, char type, String value) {
        buf.writeByte(type);
        buf.writeCharSequence(value, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }
}
