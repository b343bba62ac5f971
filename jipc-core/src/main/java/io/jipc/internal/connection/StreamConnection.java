package io.jipc.internal.connection;

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
public final class StreamConnection implements Connection {
    private final Channel channel;
    private final long sequence = Sequences.next();
    private volatile String peerId;
    private volatile Object attachment;

    StreamConnection(Channel channel) {
        this.channel = channel;
    }

    /** @return a process-unique number, increasing in the order connections were made */
    @Override
    public long sequence() {
        return sequence;
    }

    /** @return the id the peer announced in a payload's {@code id} member (node-ipc 9–12 convention), or null */
    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public void peerId(String id) {
        this.peerId = id;
    }

    /** @return whatever the owner attached */
    @Override
    public Object attachment() {
        return attachment;
    }

    /** @param value anything the owner wants to find again from this connection */
    @Override
    public void attachment(Object value) {
        this.attachment = value;
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
    @Override
    public ChannelFuture write(ByteBuf frame) {
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
        return "Connection#" + sequence + (peerId == null ? "" : "(" + peerId + ")");
    }
}
