package io.jipc.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The frames of one connection that are written but not yet handed to its channel. Any thread appends;
 * the connection's event loop takes everything at once ({@link #take}).
 *
 * <p>Small frames (up to {@link #COALESCE_MAX}) are copied, on the appending thread, into the open
 * chunk, a 16 KiB buffer. The frame is released before {@link #append} returns, so a sender that recycles
 * its frames (per-thread frame caches) reuses the same one on its next write. What the open chunk holds
 * leaves it as a retained slice (at a take, or before a large frame), and the appends after that fill the
 * rest of the chunk. Once full, the chunk is kept as the spare and the old spare, if every slice of it has
 * been written (only this outbox still holds it), is cleared and becomes the open chunk; so a steady flood
 * copies into two chunks in turn and allocates nothing per frame or per take but the slice. The
 * connection calls {@link #trim} after each drain (a connection with no more appends pending keeps no
 * chunk, so idle connections hold none) and {@link #dispose} once closed. Larger frames are queued as
 * they are, after a slice of what precedes them, so the order of appends is the order on the wire.
 *
 * <p>One lock guards the chunk and the queue; it is held only for a copy of at most 4 KiB (or for a
 * chunk allocation), never while user code or channel I/O runs, so the event loop waits at
 * most that long. Each take moves the appended frames to a second queue that the event loop empties
 * before its next take (two queues swapped, no allocation per take).
 */
final class Outbox {
    /** Frames up to this size are copied into the open chunk. */
    static final int COALESCE_MAX = 4 * 1024;
    /** Size of the chunks small frames are copied into. */
    static final int CHUNK = 16 * 1024;

    private final ByteBufAllocator alloc;
    private final Runnable scheduleTake;
    /** Sealed buffers in order: full chunks and large frames. Guarded by this. */
    private ArrayDeque<ByteBuf> queued = new ArrayDeque<>(2);
    /** The queue handed out by the last take; emptied by the event loop before the next take. */
    private ArrayDeque<ByteBuf> taken = new ArrayDeque<>(2);
    /** The chunk small frames are copied into now, or null. Guarded by this. */
    private ByteBuf open;
    /** The chunk filled before {@link #open}, whose slices may still be in the channel, or null. Guarded by this. */
    private ByteBuf spare;
    /** Completed by the take that removes the frames appended now. Guarded by this. */
    private EmitBatch batch;
    /** The batch of the last take; event loop only. */
    private EmitBatch takenBatch;
    /** Whether a take is scheduled and has not started yet. Guarded by this. */
    private boolean scheduled;
    /** Bytes appended and not yet {@link #handedOver}; atomic, no lock (the event loop counts per buffer). */
    private volatile long bytes;
    private static final AtomicLongFieldUpdater<Outbox> BYTES =
        AtomicLongFieldUpdater.newUpdater(Outbox.class, "bytes");

    /**
     * @param alloc        where chunks come from
     * @param scheduleTake asks the event loop to run a take soon; called outside the lock, at most once per take
     */
    Outbox(ByteBufAllocator alloc, Runnable scheduleTake) {
        this.alloc = alloc;
        this.scheduleTake = scheduleTake;
    }

    /** @return bytes appended and not yet handed to the channel (any thread) */
    long bytes() {
        return bytes;
    }

    /**
     * Appends one frame; ownership passes to this call (small frames are released before it returns).
     * @return completes when the take that removes this frame has written it, or fails with the reason
     */
    CompletableFuture<Void> append(ByteBuf frame) {
        return append(frame, true);
    }

    /**
     * Appends {@code frame} while it stays the caller's: a small frame is copied, a larger one is queued as a
     * retained duplicate.
     * @return as {@link #append(ByteBuf)}
     */
    CompletableFuture<Void> appendCopy(ByteBuf frame) {
        return append(frame, false);
    }

    private CompletableFuture<Void> append(ByteBuf frame, boolean owned) {
        int size = frame.readableBytes();
        CompletableFuture<Void> done;
        boolean schedule;
        try {
            synchronized (this) {
                if (size <= COALESCE_MAX) {
                    if (open == null || open.writableBytes() < size) {
                        nextChunk();
                    }
                    // getBytes into the target: writeBytes(ByteBuf) would make a NIO view of a heap frame
                    int at = open.writerIndex();
                    frame.getBytes(frame.readerIndex(), open, at, size);
                    open.writerIndex(at + size);
                } else {
                    queueSlice(queued);
                    queued.add(owned ? frame : frame.retainedDuplicate());
                    frame = null; // queued: no longer ours to release
                }
                BYTES.getAndAdd(this, size);
                if (batch == null) {
                    batch = new EmitBatch();
                }
                done = batch;
                schedule = !scheduled;
                scheduled = true;
            }
        } finally {
            if (owned && frame != null) {
                frame.release();
            }
        }
        if (schedule) {
            scheduleTake.run();
        }
        return done;
    }

    /** Makes {@link #open} a chunk with room for a small frame: the same one cleared, the spare, or a new one. */
    private void nextChunk() {
        if (open != null) {
            queueSlice(queued);
            if (open.refCnt() == 1) {
                open.clear(); // every slice of it is written and released: fill it again
                return;
            }
            ByteBuf full = open;
            open = null;
            if (spare != null && spare.refCnt() == 1) {
                open = spare.clear();
            } else if (spare != null) {
                spare.release(); // its slices keep it until they are written
            }
            spare = full;
        }
        if (open == null) {
            open = alloc.directBuffer(CHUNK);
        }
    }

    /** Adds a retained slice of what the open chunk holds to {@code to}; the chunk stays open. */
    private void queueSlice(ArrayDeque<ByteBuf> to) {
        if (open != null && open.isReadable()) {
            // appends go on after the slice's bytes while the event loop writes the slice: disjoint ranges
            int n = open.readableBytes();
            to.add(open.retainedSlice(open.readerIndex(), n));
            open.skipBytes(n);
        }
    }

    /**
     * Takes everything appended so far (event loop only). The returned queue belongs to the caller until its
     * next take and must be emptied (every buffer written or released) before then; {@link #takenBatch()}
     * is the future of exactly these frames.
     * @return the appended buffers in order, a slice of the open chunk last (the chunk itself stays open)
     */
    ArrayDeque<ByteBuf> take() {
        synchronized (this) {
            scheduled = false;
            ArrayDeque<ByteBuf> out = queued;
            queued = taken;
            taken = out;
            queueSlice(out);
            takenBatch = batch != null ? batch : EmitBatch.DONE;
            batch = null;
            return out;
        }
    }

    /**
     * @return the future the appends of the frames removed by the last {@link #take} returned (event loop
     *         only); a completed placeholder when there were none
     */
    EmitBatch takenBatch() {
        return takenBatch;
    }

    /**
     * Lets go of the chunks when the open one holds nothing to take and no take is pending (event loop, after
     * a drain): a connection that stopped writing keeps no chunk; one still appending keeps filling it.
     */
    void trim() {
        if (open == null && spare == null) {
            return; // racy read, no lock: a chunk opened meanwhile comes with a scheduled take, which trims
        }
        synchronized (this) {
            if (!scheduled && (open == null || !open.isReadable())) {
                releaseChunks();
            }
        }
    }

    /**
     * Releases the chunks for good (event loop, once the channel is closed and after a take that failed what
     * was queued). An append after this opens a new chunk and schedules a take, which disposes again.
     */
    void dispose() {
        synchronized (this) {
            releaseChunks();
        }
    }

    /** Drops this outbox's references; slices still in the channel keep their chunk until written. */
    private void releaseChunks() {
        if (open != null) {
            open.release();
            open = null;
        }
        if (spare != null) {
            spare.release();
            spare = null;
        }
    }

    /** Counts {@code n} bytes as handed to the channel (event loop). */
    void handedOver(long n) {
        BYTES.getAndAdd(this, -n);
    }
}
