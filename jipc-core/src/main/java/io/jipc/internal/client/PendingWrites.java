package io.jipc.internal.client;

import io.jipc.internal.connection.Connection;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Frames emitted while a client is not connected, in order, bounded in bytes. Not thread-safe: the
 * owner synchronises on this object for every change; {@link #bytes()} alone may be read without it.
 */
final class PendingWrites {
    private final long maxBytes;
    private final ArrayDeque<ByteBuf> frames = new ArrayDeque<>(2); // small while connected (the usual state)
    private final ArrayDeque<CompletableFuture<Void>> futures = new ArrayDeque<>(2);
    /** Changed under the owner's lock only; volatile so that {@link #bytes()} may be read without it. */
    private volatile long bytes;

    PendingWrites(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Queues {@code frame} (ownership passes here), or fails {@code done} when the bound would be passed. */
    void add(ByteBuf frame, CompletableFuture<Void> done) {
        int size = frame.readableBytes();
        if (bytes + size > maxBytes) {
            frame.release();
            done.completeExceptionally(new IllegalStateException("not connected and the send queue is full: "
                + "queued=" + bytes + " bytes, frame=" + size + " bytes, max=" + maxBytes));
            return;
        }
        bytes += size;
        frames.add(frame);
        futures.add(done);
    }

    /** Writes everything queued to {@code c}, in order. */
    void drainTo(Connection c) {
        while (!frames.isEmpty()) {
            forward(c.write(frames.poll()), futures.poll());
        }
        bytes = 0;
    }

    /** @return bytes of the frames queued here (any thread: a snapshot) */
    long bytes() {
        return bytes;
    }

    /** @return how many frames are queued */
    int size() {
        return frames.size();
    }

    /** Writes the oldest queued frame to {@code c}. */
    void writeOne(Connection c) {
        ByteBuf f = frames.poll();
        bytes -= f.readableBytes();
        forward(c.write(f), futures.poll());
    }

    /** Drops everything queued, failing each emit with {@code cause}. */
    void failAll(Exception cause) {
        while (!frames.isEmpty()) {
            frames.poll().release();
            futures.poll().completeExceptionally(cause);
        }
        bytes = 0;
    }

    /** Completes {@code done} with the outcome of {@code write}. */
    static void forward(CompletableFuture<Void> write, CompletableFuture<Void> done) {
        write.whenComplete((v, e) -> {
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        });
    }
}
