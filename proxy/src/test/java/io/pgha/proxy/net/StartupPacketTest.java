package io.pgha.proxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartupPacketTest {

    private static StartupPacket classify(ByteBuf buf) {
        try {
            int before = buf.readerIndex();
            StartupPacket k = StartupPacket.classify(buf);
            assertThat(buf.readerIndex()).as("classify must not consume").isEqualTo(before);
            return k;
        } finally {
            buf.release();
        }
    }

    private static ByteBuf header(int length, int code) {
        return Unpooled.buffer().writeInt(length).writeInt(code);
    }

    @Test
    void acceptsTheFourPacketsThatOpenAPostgresSession() {
        assertThat(classify(PgWire.startup("app"))).isEqualTo(StartupPacket.STARTUP);
        assertThat(classify(header(8, 80877103))).isEqualTo(StartupPacket.SSL_REQUEST);
        assertThat(classify(header(8, 80877104))).isEqualTo(StartupPacket.GSSENC_REQUEST);
        assertThat(classify(header(16, 80877102).writeInt(42).writeInt(7))).isEqualTo(StartupPacket.CANCEL_REQUEST);
    }

    @Test
    void waitsForEightBytes() {
        assertThat(classify(Unpooled.buffer().writeInt(8).writeShort(1234))).isEqualTo(StartupPacket.NEED_MORE);
    }

    @Test
    void rejectsHttpRandomBytesAndAbsurdLengths() {
        ByteBuf http = Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
        assertThat(classify(http)).isEqualTo(StartupPacket.INVALID);
        assertThat(classify(header(0x7fffffff, 196608))).isEqualTo(StartupPacket.INVALID);
        assertThat(classify(header(8, 196608))).as("startup without terminator").isEqualTo(StartupPacket.INVALID);
        assertThat(classify(header(9, 0x00020000))).as("protocol 2").isEqualTo(StartupPacket.INVALID);
        assertThat(classify(header(12, 80877103))).as("SSLRequest with a wrong length")
                .isEqualTo(StartupPacket.INVALID);
        assertThat(classify(Unpooled.wrappedBuffer(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef,
            1, 2, 3, 4, 5}))).isEqualTo(StartupPacket.INVALID);
    }
}
