package io.jipc.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The frames of one connection that are written but not yet handed to its channel. Any thread appends;
 * the connection's event loop takes everything at once ({@link #take}).
 *
 * <p>Small frames (up to {@link #COALESCE_MAX}), and heap frames up to a chunk's size (the socket needs
 * their bytes in direct memory anyway), are copied, on the appending thread, into the open chunk, a 16 KiB
 * direct buffer. The frame is released before {@link #append} returns, so a sender that recycles its frames
 * (per-thread frame caches) reuses the same one on its next write. What the open chunk holds leaves it at a take
 * (or before a large frame), and the appends after that fill the rest of the chunk: as a view of the chunk made
 * once per chunk when the channel no longer holds any of it, else as a retained slice ({@link #queueOpen}). A
 * full chunk joins the filled ones, oldest first; the next open chunk is the oldest filled one once the channel
 * has written all of it (only this outbox still holds it), else a new one. So a steady flood cycles through as
 * many chunks as the channel holds in flight (at most {@link #KEEP_FILLED} kept) and allocates nothing per
 * frame, and nothing per take unless the channel still holds bytes of the open chunk then. The connection calls
 * {@link #trim} after each drain (a connection with no more appends pending keeps no chunk, so idle
 * connections hold none) and {@link #dispose} once closed. Larger frames are queued as they are, after a
 * slice of what precedes them, so the order of appends is the order on the wire.
 *
 * <p>One lock guards the chunks and the queue; it is held only for one copy of at most 16 KiB (or for a
 * chunk allocation), never while user code or channel I/O runs, so the event loop waits at most that
 * long. Each take moves the appended frames to a second queue that the event loop empties before its next
 * take (two queues swapped, no allocation per take).
 */
final class Outbox {
    /** Frames up to this size are copied into the open chunk (heap frames up to {@link #CHUNK}). */
    static final int COALESCE_MAX = 4 * 1024;
    /** Size of the chunks small frames are copied into. */
    static final int CHUNK = 16 * 1024;
    /** Filled chunks kept for reuse once written (1 MiB of them: the channel's default high water mark). */
    static final int KEEP_FILLED = 64;

    private final ByteBufAllocator alloc;
    private final Runnable scheduleTake;
    private final boolean handsChunks;
    /** Sealed buffers in order: full chunks and large frames. Guarded by this. */
    private ArrayDeque<ByteBuf> queued = new ArrayDeque<>(2);
    /** The queue handed out by the last take; emptied by the event loop before the next take. */
    private ArrayDeque<ByteBuf> taken = new ArrayDeque<>(2);
    /**
     * The chunk small frames are copied into now (where chunks may be handed, a view of all of it), or null.
     * Guarded by this.
     */
    private ByteBuf open;
    /**
     * All of {@link #open}'s memory as an NIO buffer, made once per chunk (null if the chunk has no single one):
     * heap frames are copied through it, without a buffer-to-buffer copy's checks through the chunk's wrappers.
     * Guarded by this.
     */
    private ByteBuffer openBytes;
    /**
     * Bytes appended into {@link #open} (its own indexes are left alone: the channel may be writing the chunk
     * itself); guarded by this.
     */
    private int fill;
    /** Where the bytes of {@link #open} not yet queued begin; guarded by this. */
    private int handed;
    /**
     * The chunks filled before {@link #open}, oldest first, which the channel may still be writing; at most
     * {@link #KEEP_FILLED}. Guarded by this.
     */
    private final ArrayDeque<ByteBuf> filled = new ArrayDeque<>(4);
    /** The {@link #openBytes} of each of {@link #filled}, in the same order. Guarded by this. */
    private final ArrayDeque<ByteBuffer> filledBytes = new ArrayDeque<>(4);
    /** Completed by the take that removes the frames appended now. Guarded by this. */
    private EmitBatch batch;
    /** The batch of the last take; event loop only. */
    private EmitBatch takenBatch;
    /** Whether a take is scheduled and has not started yet. Guarded by this. */
    private boolean scheduled;
    /**
     * Bytes ever appended. Written under the lock only, so by one thread at a time: a release store, not an
     * atomic add, per append (no locked instruction beyond the lock's own).
     */
    private volatile long appendedBytes;
    /** Bytes ever {@link #handedOver}; written by the event loop only, as a release store. */
    private volatile long handedBytes;
    private static final VarHandle APPENDED;
    private static final VarHandle HANDED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            APPENDED = lookup.findVarHandle(Outbox.class, "appendedBytes", long.class);
            HANDED = lookup.findVarHandle(Outbox.class, "handedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @param alloc        where chunks come from
     * @param scheduleTake asks the event loop to run a take soon; called outside the lock, at most once per take
     * @param handsChunks  whether the open chunk's view may be handed over itself: only where nothing between the
     *                     connection and the channel's outbound buffer may write into a buffer it was handed (a
     *                     handler owns what it is written and may append to it; Netty's SslHandler may merge the
     *                     next buffer into a writable one). Otherwise every hand-over is a slice, whose capacity
     *                     ends where its bytes do.
     */
    Outbox(ByteBufAllocator alloc, Runnable scheduleTake, boolean handsChunks) {
        this.alloc = alloc;
        this.scheduleTake = scheduleTake;
        this.handsChunks = handsChunks;
    }

    /** @return whether an append copies {@code frame} before it returns (else the frame itself is queued) */
    static boolean copies(ByteBuf frame) {
        int size = frame.readableBytes();
        return size <= COALESCE_MAX || (size <= CHUNK && frame.hasArray());
    }

    /** @return bytes appended and not yet handed to the channel (any thread) */
    long bytes() {
        long out = handedBytes; // first: what is handed over was appended before, so the difference is never negative
        return appendedBytes - out;
    }

    /**
     * Appends one frame; ownership passes to this call (small frames are released before it returns).
     * @return completes when the take that removes this frame has written it, or fails with the reason
     */
    CompletableFuture<Void> append(ByteBuf frame) {
        return append(frame, true, true);
    }

    /**
     * Appends {@code frame} while it stays the caller's: a small frame is copied, a larger one is queued as a
     * retained duplicate.
     * @return as {@link #append(ByteBuf)}
     */
    CompletableFuture<Void> appendCopy(ByteBuf frame) {
        return append(frame, false, true);
    }

    /**
     * Appends {@code frame} with no future: as {@link #append(ByteBuf)} ({@code owned}) or
     * {@link #appendCopy(ByteBuf)}, but no batch is created for it, so a take of offered frames only
     * allocates nothing.
     */
    void offer(ByteBuf frame, boolean owned) {
        append(frame, owned, false);
    }

    private CompletableFuture<Void> append(ByteBuf frame, boolean owned, boolean wantsFuture) {
        int size = frame.readableBytes();
        CompletableFuture<Void> done;
        boolean schedule;
        try {
            synchronized (this) {
                if (copies(frame)) {
                    if (open == null || CHUNK - fill < size) {
                        nextChunk();
                    }
                    // an absolute copy: the chunk's indexes may belong to the channel writing it (queueOpen)
                    if (openBytes != null && frame.hasArray()) {
                        openBytes.put(fill, frame.array(), frame.arrayOffset() + frame.readerIndex(), size);
                    } else {
                        frame.getBytes(frame.readerIndex(), open, fill, size);
                    }
                    fill += size;
                } else {
                    queueOpen(queued);
                    queued.add(owned ? frame : frame.retainedDuplicate());
                    frame = null; // queued: no longer ours to release
                }
                APPENDED.setRelease(this, appendedBytes + size);
                if (wantsFuture && batch == null) {
                    batch = new EmitBatch();
                }
                done = wantsFuture ? batch : null;
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

    /**
     * Makes {@link #open} a chunk with room for a small frame: the same one from its start, the oldest filled
     * one once the channel has written and released all of it, or a new one.
     */
    private void nextChunk() {
        if (open != null) {
            queueOpen(queued); // the chunk takes no more appends
            if (open.refCnt() == 1) {
                fill = 0; // every byte of it is written and released: fill it again
                handed = 0;
                return;
            }
            filled.add(open);
            filledBytes.add(openBytes);
            open = null;
            openBytes = null;
            if (filled.size() > KEEP_FILLED) {
                filled.poll().release(); // the channel keeps it until its bytes are written
                filledBytes.poll();
            }
        }
        ByteBuf oldest = filled.peek();
        // chunks are written in order, so the oldest is the first the channel no longer holds
        if (oldest != null && oldest.refCnt() == 1) {
            open = filled.poll();
            openBytes = filledBytes.poll();
        } else {
            open = newChunk();
            openBytes = open.nioBufferCount() == 1 ? open.nioBuffer(0, CHUNK) : null;
        }
        fill = 0;
        handed = 0;
    }

    /** @return a new chunk: where chunks may be handed, a view of all of it (see {@link #queueOpen}) */
    private ByteBuf newChunk() {
        ByteBuf chunk = alloc.directBuffer(CHUNK, CHUNK);
        return handsChunks ? chunk.slice(0, CHUNK) : chunk;
    }

    /**
     * Queues to {@code to} the bytes appended into the open chunk since the last time.
     *
     * <p>Where chunks may be handed ({@link #handsChunks}), {@link #open} is a view of the whole chunk (a slice
     * made once per chunk, sharing its reference count) and goes itself, retained, its indexes set to those
     * bytes, whenever nobody else holds the chunk (the channel wrote and released what it was handed before):
     * then no object is made per take. Appends go on into the rest of the chunk while the event loop writes
     * those bytes (disjoint ranges; the view's indexes are the channel's until it releases it, and a view
     * gives the channel its own NIO buffer, apart from {@link #openBytes} and the chunk's internal one, which
     * appends copy through: heap frames and, on a JVM without {@code Unsafe}, direct ones). Otherwise (the channel still holds part of the chunk, or
     * chunks may not be handed) it is a retained slice of exactly those bytes.
     */
    private void queueOpen(ArrayDeque<ByteBuf> to) {
        if (open != null && fill > handed) {
            if (handsChunks && open.refCnt() == 1) {
                to.add(open.setIndex(handed, fill).retain());
            } else {
                to.add(open.retainedSlice(handed, fill - handed));
            }
            handed = fill;
        }
    }

    /**
     * Takes everything appended so far (event loop only). The returned queue belongs to the caller until its
     * next take and must be emptied (every buffer written or released) before then; {@link #takenBatch()}
     * is the future of exactly these frames.
     * @return the appended buffers in order, what the open chunk holds last (the chunk stays open)
     */
    ArrayDeque<ByteBuf> take() {
        synchronized (this) {
            scheduled = false;
            ArrayDeque<ByteBuf> out = queued;
            queued = taken;
            taken = out;
            queueOpen(out);
            takenBatch = batch != null ? batch : EmitBatch.DONE;
            batch = null;
            return out;
        }
    }

    /**
     * @return the future the appends of the frames removed by the last {@link #take} returned (event loop
     *         only); the completed placeholder {@link EmitBatch#DONE} when none of them asked for one
     */
    EmitBatch takenBatch() {
        return takenBatch;
    }

    /**
     * Lets go of the chunks when the open one holds nothing to take and no take is pending (event loop, after
     * a drain): a connection that stopped writing keeps no chunk; one still appending keeps filling it.
     */
    void trim() {
        if (open == null && filled.isEmpty()) {
            return; // racy read, no lock: a chunk opened meanwhile comes with a scheduled take, which trims
        }
        synchronized (this) {
            if (!scheduled && (open == null || fill == handed)) {
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

    /** Drops this outbox's references; a chunk (or slice of one) still in the channel lives until written. */
    private void releaseChunks() {
        if (open != null) {
            open.release();
            open = null;
            openBytes = null;
            fill = 0;
            handed = 0;
        }
        ByteBuf chunk;
        while ((chunk = filled.poll()) != null) {
            chunk.release();
        }
        filledBytes.clear();
    }

    /** Counts {@code n} bytes as handed to the channel (event loop). */
    void handedOver(long n) {
        HANDED.setRelease(this, handedBytes + n);
    }
}
