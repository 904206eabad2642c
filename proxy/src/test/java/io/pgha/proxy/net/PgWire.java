package io.pgha.proxy.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Client-side wire bytes and a reader for the proxy's ErrorResponse, for the tests. */
public final class PgWire {
    private PgWire() {
    }

    /** A protocol 3.0 StartupMessage for {@code user}. */
    public static ByteBuf startup(String user) {
        return Unpooled.wrappedBuffer(startupBytes(user));
    }

    public static byte[] startupBytes(String user) {
        ByteBuf b = Unpooled.buffer();
        b.writeInt(0).writeInt(196608);
        b.writeCharSequence("user", StandardCharsets.UTF_8);
        b.writeByte(0);
        b.writeCharSequence(user, StandardCharsets.UTF_8);
        b.writeByte(0).writeByte(0);
        b.setInt(0, b.readableBytes());
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        return bytes;
    }

    /** The SQLSTATE ('C' field) of an ErrorResponse, or null if {@code buf} is not one. Does not release. */
    public static String sqlState(ByteBuf buf) {
        return field(buf, 'C');
    }

    /** One field of an ErrorResponse, or null. Does not release. */
    public static String field(ByteBuf buf, char type) {
        ByteBuf b = buf.duplicate();
        if (b.readableBytes() < 5 || b.readByte() != 'E') {
            return null;
        }
        b.readInt();
        while (b.isReadable()) {
            byte t = b.readByte();
            if (t == 0) {
                return null;
            }
            int end = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) 0);
            String value = b.toString(b.readerIndex(), end - b.readerIndex(), StandardCharsets.UTF_8);
            b.readerIndex(end + 1);
            if (t == type) {
                return value;
            }
        }
        return null;
    }
}
