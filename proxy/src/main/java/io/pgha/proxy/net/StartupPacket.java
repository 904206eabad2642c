package io.pgha.proxy.net;

import io.netty.buffer.ByteBuf;

/**
 * Classifies the first bytes a client sends, without consuming them. Every PostgreSQL session opens with one of four
 * untyped packets (Int32 length, Int32 code); anything else is not a PostgreSQL client and is closed unread.
 */
enum StartupPacket {
    /** Fewer than 8 bytes so far: read more. */
    NEED_MORE,
    /** StartupMessage, protocol 3.x. */
    STARTUP,
    /** SSLRequest: forwarded, the backend answers, TLS (if any) passes through end to end. */
    SSL_REQUEST,
    /** GSSENCRequest: forwarded like SSLRequest. */
    GSSENC_REQUEST,
    /** CancelRequest: forwarded; the client expects no answer, only a close. */
    CANCEL_REQUEST,
    /** Not PostgreSQL (an HTTP request, random bytes, an absurd length). */
    INVALID;

    static final int SSL_CODE = 80877103;
    static final int GSSENC_CODE = 80877104;
    static final int CANCEL_CODE = 80877102;
    static final int PROTOCOL_3 = 3;
    /** The server's own limit (MAX_STARTUP_PACKET_LENGTH in postmaster). */
    static final int MAX_STARTUP_LENGTH = 10_000;

    /** Looks at the first 8 readable bytes of {@code in}; does not move its reader index. */
    static StartupPacket classify(ByteBuf in) {
        if (in.readableBytes() < 8) {
            return NEED_MORE;
        }
        int length = in.getInt(in.readerIndex());
        int code = in.getInt(in.readerIndex() + 4);
        if (code == SSL_CODE) {
            return length == 8 ? SSL_REQUEST : INVALID;
        }
        if (code == GSSENC_CODE) {
            return length == 8 ? GSSENC_REQUEST : INVALID;
        }
        if (code == CANCEL_CODE) {
            return length == 16 ? CANCEL_REQUEST : INVALID;
        }
        boolean v3 = (code >>> 16) == PROTOCOL_3;
        // The smallest valid StartupMessage is the 8-byte header plus the list's terminating zero byte.
        return v3 && length > 8 && length <= MAX_STARTUP_LENGTH ? STARTUP : INVALID;
    }
}
