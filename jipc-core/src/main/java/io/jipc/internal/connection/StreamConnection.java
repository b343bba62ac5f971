package io.jipc.internal.connection;

import io.jipc.internal.codec.FrameSink;
import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.codec.ProtocolErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.VoidChannelPromise;
import io.netty.buffer.Unpooled;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One open byte stream to a peer (a Netty channel) plus the little state jipc keeps about it.
 * Thread-safe: writes may come from any thread and keep their order per calling thread.
 *
 * <p>Writes go through an {@link Outbox}: any thread appends (small frames are copied into a shared 16 KiB
 * chunk right away) and at most one drain task per event-loop turn hands everything to the channel and
 * flushes once. So a burst of emits costs one task, a few buffers and one system call, not one each;
 * every frame of a drain shares one completion future, and offers ({@link #offer}) ask for none: a drain of
 * offers only allocates nothing. On a plain transport that future completes right after the flush when the
 * kernel took everything, without a Netty promise. The outbox's chunks stay while appends keep coming
 * during drains; a drain that finds nothing more appended drops them at once when the channel is empty, else
 * {@link #TRIM_LATER_MS} later (the writer is pausing for backpressure), and close drops them too.
 */
public final class StreamConnection extends PeerState {
    /** Bytes written between flushes within one drain. */
    private static final int FLUSH_EVERY = 64 * 1024;
    /** Bytes written since the last flush (event loop only). */
    private long unflushed;
    private final Channel channel;
    private final boolean closeOnBackpressure;
    private final long maxPendingBytes;
    private final ConnectionListener listener;
    private final Outbox outbox;
    /** Where encoders hand this connection's frames ({@link #sends()}). */
    private final FrameSink<CompletableFuture<Void>> sends = Connection.sinkOf(this);
    /** A void promise that does not turn failures into exceptionCaught (one error event per close, not per frame). */
    private final VoidChannelPromise quietVoid;
    /** Set by a refusal, cleared once the queue is below half the bound (hysteresis, as Netty's marks). */
    private volatile boolean refusing;
    private final RefusalWritability refusals;
    /**
     * Whether nothing in the pipeline holds written bytes between this connection and the channel's outbound
     * buffer (no TLS), so an empty outbound buffer after a flush means the kernel took everything.
     */
    private final boolean plain;
    /** How long chunks stay for reuse after a drain that left bytes in the channel. */
    static final long TRIM_LATER_MS = 50;
    /** Whether a deferred trim is scheduled (event loop only). */
    private boolean trimLater;
    private final Runnable trimLaterTask = this::trimNow;

    StreamConnection(Channel channel, boolean plain, boolean closeOnBackpressure, long maxPendingBytes,
            ConnectionListener listener) {
        this.channel = channel;
        this.plain = plain;
        this.quietVoid = new VoidChannelPromise(channel, false);
        this.closeOnBackpressure = closeOnBackpressure;
        this.maxPendingBytes = maxPendingBytes;
        this.listener = listener;
        this.refusals = new RefusalWritability(channel, this::queuedBytes, maxPendingBytes / 2);
        Runnable drainTask = this::drain;
        this.outbox = new Outbox(channel.alloc(), () -> channel.eventLoop().execute(drainTask), plain);
        channel.closeFuture().addListener(f -> outbox.dispose());
    }

    /** @return whether the underlying channel is open */
    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * @return whether a write would be accepted now: the channel is below its high water mark (writability
     *         events follow that mark, with Netty's hysteresis down to half of it) and the outbox plus the
     *         channel's buffer hold no more than {@code maxPendingBytes}
     */
    @Override
    public boolean isWritable() {
        long queued = queuedBytes();
        if (refusing) {
            if (queued > maxPendingBytes / 2) {
                return false;
            }
            refusing = false; // like Netty's water marks: writable again only below half of the bound
        }
        return channel.isWritable() && queued <= maxPendingBytes;
    }

    @Override
    public long queuedBytes() {
        return outbox.bytes() + Connection.outboundBytes(channel);
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

    /**
     * Appends one frame to the outbox (small frames are copied and released on the calling thread), unless
     * this connection already holds {@code maxPendingBytes} (outbox plus the channel's outbound buffer, the
     * channel's high water mark): then the frame is dropped and the write fails with
     * {@code ERR_IPC_BACKPRESSURE} — and with the close policy the connection is closed too (node-ipc 14).
     * A peer that stops reading never makes this side's memory grow past the bound plus one frame.
     */
    @Override
    public CompletableFuture<Void> write(ByteBuf frame) {
        if (channel.isActive() && !isWritable()) {
            refusing = true;
            return refuse(frame);
        }
        return outbox.append(frame);
    }

    /** As {@link #write}, but {@code frame} stays the caller's: small frames are copied, larger ones retained. */
    @Override
    public CompletableFuture<Void> writeShared(ByteBuf frame) {
        if (channel.isActive() && !isWritable()) {
            refusing = true;
            return refuse(frame.retain());
        }
        return outbox.appendCopy(frame);
    }

    /**
     * As {@link #write}, with no completion: the frame is queued, or refused (released) when this connection
     * is closed or already holds {@code maxPendingBytes} (and then, with the close policy, closed as well).
     */
    @Override
    public boolean offer(ByteBuf frame) {
        if (channel.isActive() && isWritable()) {
            outbox.offer(frame, true);
            return true;
        }
        refuseOffer(frame);
        return false;
    }

    /** This connection's {@link Connection#sends()}, made once. */
    @Override
    public FrameSink<CompletableFuture<Void>> sends() {
        return sends;
    }

    /** Small frames and heap frames up to a chunk are copied into the outbox; larger ones into a buffer of their own. */
    @Override
    public CompletableFuture<Void> writeCopy(ByteBuf frame) {
        return Outbox.copies(frame) ? writeShared(frame) : write(ownCopy(frame));
    }

    @Override
    public boolean offerCopy(ByteBuf frame) {
        return Outbox.copies(frame) ? offerShared(frame) : offer(ownCopy(frame));
    }

    private ByteBuf ownCopy(ByteBuf frame) {
        int n = frame.readableBytes();
        return channel.alloc().buffer(n, n).writeBytes(frame, frame.readerIndex(), n);
    }

    /** As {@link #offer}, but {@code frame} stays the caller's, as for {@link #writeShared}. */
    @Override
    public boolean offerShared(ByteBuf frame) {
        if (channel.isActive() && isWritable()) {
            outbox.offer(frame, false);
            return true;
        }
        refuseOffer(frame.retain());
        return false;
    }

    /** Refuses an offered frame (ours now): backpressure on an open channel, or simply closed. */
    private void refuseOffer(ByteBuf frame) {
        if (channel.isActive()) {
            refusing = true;
            refuse(frame);
        } else {
            frame.release();
        }
    }

    /**
     * Hands everything in the outbox to the channel and flushes (every {@link #FLUSH_EVERY} bytes and at the
     * end); runs on the event loop. The frames' shared future completes with the last write.
     */
    private void drain() {
        ArrayDeque<ByteBuf> taken = outbox.take();
        EmitBatch done = outbox.takenBatch();
        if (!channel.isActive()) {
            failQueued(taken, done);
            outbox.dispose();
            return;
        }
        ByteBuf buf;
        ByteBuf last = taken.pollLast();
        while ((buf = taken.poll()) != null) {
            int size = buf.readableBytes();
            channel.write(buf, quietVoid); // a failure here is reported once, through the last write
            // counted out of the outbox only once in the channel's buffer (never before a flush can take it
            // from there), so the two add up to what is really queued, give or take this one buffer
            outbox.handedOver(size);
            unflushed += size;
            if (unflushed >= FLUSH_EVERY) {
                channel.flush(); // keep each flush (and each TLS wrap) a bounded size
                unflushed = 0;
            }
        }
        if (last == null) {
            done.succeed();
            trimOutbox();
            return;
        }
        int size = last.readableBytes();
        boolean promiseFree = done == EmitBatch.DONE || plain; // nobody waits, or the flush itself tells (below)
        if (promiseFree) {
            channel.write(last, quietVoid);
        } else {
            channel.write(last).addListener(done);
        }
        outbox.handedOver(size);
        channel.flush();
        if (promiseFree && done != EmitBatch.DONE) {
            completeAfterFlush(done);
        }
        unflushed = 0;
        trimOutbox();
    }

    /**
     * After a drain: lets the outbox drop its chunks (it keeps them while appends are pending). While the
     * channel still holds bytes (the peer reads slower than this side writes), the writer is likely only
     * pausing for backpressure and would want the chunks again, so they are dropped a little later instead:
     * a connection that stops writing keeps no chunk for longer than {@link #TRIM_LATER_MS}.
     */
    private void trimOutbox() {
        if (Connection.outboundBytes(channel) == 0 || !channel.isActive()) {
            outbox.trim();
        } else if (!trimLater) {
            trimLater = true;
            channel.eventLoop().schedule(trimLaterTask, TRIM_LATER_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void trimNow() {
        trimLater = false;
        outbox.trim();
    }

    /**
     * Completes a plain connection's batch after its flush: at once when the kernel took everything (the
     * usual case, and no promise is made), as failed when the flush failed and closed the channel, and
     * otherwise once Netty has written what is still pending (an empty write queued behind it completes then).
     */
    private void completeAfterFlush(EmitBatch done) {
        if (!channel.isActive()) {
            done.fail(new ClosedChannelException()); // a write error closes the channel during the flush
        } else if (Connection.outboundBytes(channel) == 0) {
            done.succeed();
        } else {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(done);
        }
    }

    private void failQueued(ArrayDeque<ByteBuf> taken, EmitBatch done) {
        ByteBuf buf;
        long bytes = 0;
        while ((buf = taken.poll()) != null) {
            bytes += buf.readableBytes();
            buf.release();
        }
        outbox.handedOver(bytes);
        done.fail(new ClosedChannelException());
    }

    private CompletableFuture<Void> refuse(ByteBuf frame) {
        long queued = queuedBytes();
        frame.release();
        ProtocolErrorException refused = new ProtocolErrorException(ProtocolErrorCode.ERR_IPC_BACKPRESSURE,
            "peer is not reading: " + queued + " bytes already queued to " + this + " (maxPendingBytes="
                + maxPendingBytes + ")");
        if (closeOnBackpressure) {
            channel.eventLoop().execute(() -> {
                if (channel.isActive()) {
                    listener.error(this, refused);
                    channel.close();
                }
            });
        } else {
            refusals.refused(); // writability(false) fires now if the channel's own mark has not
        }
        return CompletableFuture.failedFuture(refused);
    }

    @Override
    public ChannelFuture closeAfterFlush() {
        // queued behind any pending drain task, so everything written before this call goes out first
        channel.eventLoop().execute(() -> {
            drain();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        });
        return channel.closeFuture();
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
