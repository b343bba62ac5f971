package io.jipc.internal.connection;

import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.codec.ProtocolErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.buffer.Unpooled;
import java.net.SocketAddress;

/**
 * One open byte stream to a peer (a Netty channel) plus the little state jipc keeps about it.
 * Thread-safe: writes may come from any thread and keep their order per calling thread.
 */
public final class StreamConnection extends PeerState {
    private final Channel channel;
    private final boolean closeOnBackpressure;
    private final ConnectionListener listener;

    StreamConnection(Channel channel, boolean closeOnBackpressure, ConnectionListener listener) {
        this.channel = channel;
        this.closeOnBackpressure = closeOnBackpressure;
        this.listener = listener;
    }

    /** @return whether the underlying channel is open */
    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    /** @return whether the outbound buffer is below its high-water mark */
    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** @return the peer's address as the transport reports it (may be an unnamed Unix socket) */
    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** @return the Netty channel (internal use: pipelines, tests) */
    @Override
    public Channel channel() {
        return channel;
    }

    /** Writes and flushes one encoded frame; ownership of {@code frame} passes to this call. */
    /**
     * Writes and flushes one frame, unless the outbound queue is past its bound ({@code maxPendingBytes},
     * the channel's high water mark): then the frame is dropped and the write fails with
     * {@code ERR_IPC_BACKPRESSURE} — and with the close policy the connection is closed too (node-ipc 14).
     * So a peer that stops reading never makes this side's memory grow past the bound plus one frame.
     */
    @Override
    public ChannelFuture write(ByteBuf frame) {
        if (!channel.isWritable() && channel.isActive()) {
            long queued = channel.unsafe().outboundBuffer() == null ? 0
                : channel.unsafe().outboundBuffer().totalPendingWriteBytes();
            frame.release();
            ProtocolErrorException refused = new ProtocolErrorException(ProtocolErrorCode.ERR_IPC_BACKPRESSURE,
                "peer is not reading: " + queued + " bytes already queued to " + this + " (maxPendingBytes="
                    + channel.config().getWriteBufferHighWaterMark() + ")");
            if (closeOnBackpressure) {
                channel.eventLoop().execute(() -> {
                    if (channel.isActive()) {
                        listener.error(this, refused);
                        channel.close();
                    }
                });
            }
            return channel.newFailedFuture(refused);
        }
        return channel.writeAndFlush(frame);
    }

    /** Closes after everything written so far is flushed. */
    @Override
    public ChannelFuture closeAfterFlush() {
        return channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /** Closes now; queued writes are failed. */
    @Override
    public ChannelFuture close() {
        return channel.close();
    }

    @Override
    public String toString() {
        return "Connection#" + sequence() + (peerId() == null ? "" : "(" + peerId() + ")");
    }
}
