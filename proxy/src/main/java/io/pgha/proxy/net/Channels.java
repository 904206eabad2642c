package io.pgha.proxy.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;

/** The two channel operations both proxy handlers need (Netty's proxy example keeps them on the frontend). */
final class Channels {
    private Channels() {
    }

    /** Closes {@code ch} once everything already written to it is flushed; a no-op for null or closed channels. */
    static void closeOnFlush(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Bytes queued for writing on {@code ch} (0 for null or closed channels). */
    static long pendingWriteBytes(Channel ch) {
        if (ch == null) {
            return 0;
        }
        ChannelOutboundBuffer buf = ch.unsafe().outboundBuffer();
        return buf == null ? 0 : buf.totalPendingWriteBytes();
    }
}
