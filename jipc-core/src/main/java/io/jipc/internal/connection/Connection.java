package io.jipc.internal.connection;

import io.jipc.internal.codec.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A peer jipc talks to: a stream connection ({@link StreamConnection}) or a UDP peer (an address on a
 * shared datagram channel). Thread-safe; writes from one thread keep their order.
 */
public interface Connection {
    /** @return a process-unique number, increasing in the order peers appeared */
    long sequence();

    /** @return the id the peer announced in a payload's {@code id} member (node-ipc 9–12 convention), or null */
    String peerId();

    /** @param id the id the peer announced */
    void peerId(String id);

    /** @return whatever the owner attached */
    Object attachment();

    /** @param value anything the owner wants to find again from this connection */
    void attachment(Object value);

    /** @return whether the peer can still be written to */
    boolean isOpen();

    /** @return whether the outbound buffer is below its high-water mark */
    boolean isWritable();

    /** @return bytes written and not yet taken by the kernel (outbox plus the channel's outbound buffer); any thread */
    long queuedBytes();

    /** @return bytes in {@code channel}'s outbound buffer (0 once closed); a volatile read, safe from any thread */
    static long outboundBytes(Channel channel) {
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /** @return the peer's address */
    SocketAddress remoteAddress();

    /** @return the Netty channel carrying this peer (shared by all peers for UDP) */
    Channel channel();

    /**
     * Sends one encoded frame; ownership of {@code frame} passes to this call. Never blocks.
     * @return completes when the frame is written to the socket (possibly together with others), or
     *         fails with the reason (closed, backpressure)
     */
    CompletableFuture<Void> write(ByteBuf frame);

    /**
     * Sends {@code frame} without taking it over: the caller keeps its reference and may hand the same frame
     * to other connections (broadcast). Small frames are copied at once; others are retained.
     * @return as {@link #write(ByteBuf)}
     */
    default CompletableFuture<Void> writeShared(ByteBuf frame) {
        return write(frame.retainedDuplicate());
    }

    /**
     * Sends one encoded frame with no completion to wait on (ownership of {@code frame} passes to this call):
     * the form of {@link #write} that allocates nothing per frame. Never blocks.
     * @return whether the frame was queued; false when it was refused (closed, backpressure) and released
     */
    default boolean offer(ByteBuf frame) {
        return !write(frame).isCompletedExceptionally();
    }

    /**
     * Sends the readable bytes of {@code frame}, which stays the caller's and may change as soon as this returns (a
     * thread's scratch buffer): they are copied before this returns, whatever their size.
     * @return as {@link #write(ByteBuf)}
     */
    default CompletableFuture<Void> writeCopy(ByteBuf frame) {
        return write(frame.copy());
    }

    /**
     * Where an encoder hands this peer's frames ({@code FrameEncoder.encode} with a sink): a lent frame goes to
     * {@link #writeCopy}, an owned one to {@link #write}.
     */
    default FrameSink<CompletableFuture<Void>> sends() {
        return sinkOf(this);
    }

    /** @return a sink handing lent frames to {@code c}'s {@link #writeCopy} and owned ones to its {@link #write} */
    static FrameSink<CompletableFuture<Void>> sinkOf(Connection c) {
        return new FrameSink<>() {
            @Override
            public CompletableFuture<Void> takeCopy(ByteBuf lent) {
                return c.writeCopy(lent);
            }

            @Override
            public CompletableFuture<Void> take(ByteBuf frame) {
                return c.write(frame);
            }
        };
    }

    /** As {@link #offer}, for a frame that stays the caller's, as for {@link #writeCopy}. @return as {@link #offer} */
    default boolean offerCopy(ByteBuf frame) {
        return offer(frame.copy());
    }

    /** As {@link #offer}, but the caller keeps {@code frame}, as for {@link #writeShared}. @return as {@link #offer} */
    default boolean offerShared(ByteBuf frame) {
        return !writeShared(frame).isCompletedExceptionally();
    }

    /** Closes after everything written so far is flushed (UDP: forgets the peer). */
    ChannelFuture closeAfterFlush();

    /** Closes now (UDP: forgets the peer). */
    ChannelFuture close();
}
