package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;

/**
 * Where {@link FrameEncoder#encode(io.netty.buffer.ByteBufAllocator, String, Object, FrameSink)} hands a frame it
 * encoded: first lent, as the calling thread's scratch buffer, so a sink that copies the bytes at once (into a
 * connection's outbox) saves the encoder making a frame of its own; else owned. Called on the encoding thread,
 * at most one of the two methods per frame unless {@link #takeCopy} declines.
 *
 * @param <T> what the sink answers (a completion, a flag)
 */
public interface FrameSink<T> {
    /**
     * Takes the readable bytes of {@code lent}, which stays the encoder's: whatever is kept of it must be copied
     * before this returns, and its indexes and reference count must be left as they are.
     * @return the answer, or null to decline: the encoder then calls {@link #take} with a frame of its own
     */
    T takeCopy(ByteBuf lent);

    /** Takes over {@code frame} (its release is this sink's). @return the answer */
    T take(ByteBuf frame);
}
