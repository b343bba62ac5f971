package io.jipc.internal.connection;

import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.codec.ProtocolErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.VoidChannelPromise;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open byte stream to a peer (a Netty channel) plus the little state jipc keeps about it.
 * Thread-safe: writes may come from any thread and keep their order per calling thread.
 *
 * <p>Writes go through an outbox: any thread appends to a lock-free queue and at most one drain task
 * per event-loop turn writes everything queued and flushes once. So a burst of emits costs one task
 * and one system call, not one each; every frame of a drain shares one completion future.
 */
public final class StreamConnection extends PeerState {
    /** Bytes written between flushes within one drain. */
    private static final int FLUSH_EVERY = 64 * 1024;
    /** Frames up to this size are copied together into one buffer when several are queued. */
    private static final int COALESCE_MAX = 4 * 1024;
    /** Size of the buffers small frames are copied into. */
    private static final int COALESCED = 16 * 1024;
    /** Bytes written since the last flush (event loop only). */
    private long unflushed;
    private final Channel channel;
    private final boolean closeOnBackpressure;
    private final long maxPendingBytes;
    private final ConnectionListener listener;
    /** Grows in chunks of 16 entries: an idle connection holds a small array, not the default 1024. */
    private final Queue<ByteBuf> outbox = PlatformDependent.newMpscQueue(16, 1 << 30);
    private final AtomicLong outboxBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** A void promise that does not turn failures into exceptionCaught (one error event per close, not per frame). */
    private final VoidChannelPromise quietVoid;
    /** Set by a refusal, cleared once the queue is below half the bound (hysteresis, as Netty's marks). */
    private volatile boolean refusing;
    /** Completed by the next drain; frames queued now are written by it or a later one. */
    private volatile CompletableFuture<Void> batch = new CompletableFuture<>();

    StreamConnection(Channel channel, boolean closeOnBackpressure, long maxPendingBytes, ConnectionListener listener) {
        this.channel = channel;
        this.quietVoid = new VoidChannelPromise(channel, false);
        this.closeOnBackpressure = closeOnBackpressure;
        this.maxPendingBytes = maxPendingBytes;
        this.listener = listener;
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
        long queued = outboxBytes.get() + inChannel();
        if (refusing) {
            if (queued > maxPendingBytes / 2) {
                return false;
            }
            refusing = false; // like Netty's water marks: writable again only below half of the bound
        }
        return channel.isWritable() && queued <= maxPendingBytes;
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
     * Queues one frame for the next drain, unless this connection already holds {@code maxPendingBytes}
     * (outbox plus the channel's outbound buffer, the channel's high water mark): then the frame is
     * dropped and the write fails with {@code ERR_IPC_BACKPRESSURE} — and with the close policy the
     * connection is closed too (node-ipc 14). A peer that stops reading never makes this side's memory
     * grow past the bound plus one frame.
     */
    @Override
    public CompletableFuture<Void> write(ByteBuf frame) {
        if (channel.isActive() && !isWritable()) {
            refusing = true;
            return refuse(frame);
        }
        int size = frame.readableBytes();
        outboxBytes.addAndGet(size);
        if (!outbox.offer(frame)) {
            outboxBytes.addAndGet(-size);
            return refuse(frame);
        }
        CompletableFuture<Void> done = batch;
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drainTask);
        }
        return done;
    }

    /**
     * Writes everything queued and flushes once; runs on the event loop. Runs of small frames are copied
     * into one buffer of up to {@link #FLUSH_EVERY} bytes, so the channel (and TLS) sees a few large writes
     * instead of one per frame; large frames are written as they are.
     */
    private void drain() {
        drainScheduled.set(false);
        CompletableFuture<Void> done = batch;
        batch = new CompletableFuture<>();
        if (!channel.isActive()) {
            failQueued(done);
            return;
        }
        long bytes = 0;
        ByteBuf ready = null; // the next buffer to hand to the channel
        boolean copying = false; // whether ready is a buffer of ours that small frames are copied into
        ByteBuf frame;
        while ((frame = outbox.poll()) != null) {
            int size = frame.readableBytes();
            bytes += size;
            if (size <= COALESCE_MAX && (copying || ready != null || outbox.peek() != null)) {
                if (!copying || ready.writableBytes() < size) {
                    handOver(ready);
                    ready = channel.alloc().directBuffer(COALESCED);
                    copying = true;
                }
                // getBytes into the target: writeBytes(ByteBuf) would make a NIO view of a heap frame each time
                int at = ready.writerIndex();
                frame.getBytes(frame.readerIndex(), ready, at, size);
                ready.writerIndex(at + size);
                frame.release();
            } else {
                handOver(ready);
                ready = frame;
                copying = false;
            }
        }
        if (ready == null) {
            outboxBytes.addAndGet(-bytes);
            done.complete(null);
            return;
        }
        ChannelFuture written = channel.writeAndFlush(ready);
        unflushed = 0;
        // counted out of the outbox only now that every frame is in the channel's buffer, so the two
        // never add up to less than what is really queued (isWritable() and refusals stay in step)
        outboxBytes.addAndGet(-bytes);
        written.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
    }

    /** Writes {@code buf} (if any) without a completion; flushes every {@link #FLUSH_EVERY} bytes. */
    private void handOver(ByteBuf buf) {
        if (buf != null) {
            channel.write(buf, quietVoid); // a failure here is reported once, through the last write
            unflushed += buf.readableBytes();
            if (unflushed >= FLUSH_EVERY) {
                channel.flush(); // keep each flush (and each TLS wrap) a bounded size
                unflushed = 0;
            }
        }
    }

    private void failQueued(CompletableFuture<Void> done) {
        ByteBuf frame;
        long bytes = 0;
        while ((frame = outbox.poll()) != null) {
            bytes += frame.readableBytes();
            frame.release();
        }
        outboxBytes.addAndGet(-bytes);
        done.completeExceptionally(new ClosedChannelException());
    }

    /** @return bytes in the channel's outbound buffer (a volatile read, safe from any thread) */
    private long inChannel() {
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    private CompletableFuture<Void> refuse(ByteBuf frame) {
        long queued = outboxBytes.get() + inChannel();
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
