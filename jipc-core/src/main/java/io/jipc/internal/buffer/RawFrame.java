package io.jipc.internal.buffer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * A heap buffer holding one small raw frame that, when its last reference is released, goes back to the
 * {@link FrameCache} of the thread that filled it instead of being freed (so a warm sender allocates
 * nothing per frame). Its array never changes; it is plain heap memory, so a frame that is never
 * released is simply garbage-collected (no native memory can leak).
 */
final class RawFrame extends UnpooledHeapByteBuf {
    /** The cache it returns to. */
    final FrameCache owner;
    /** Index of its size class in the cache. */
    final int sizeClass;
    /** Link in the cache's free or returned list (touched only by whoever holds the frame). */
    RawFrame next;

    RawFrame(FrameCache owner, int sizeClass, int capacity) {
        super(ByteBufAllocator.DEFAULT, new byte[capacity], capacity);
        this.owner = owner;
        this.sizeClass = sizeClass;
        clear();
    }

    /**
     * Last release: back to the owner, from any thread. It stays released (reference count 0) while pooled,
     * so a second release by mistake fails as on any Netty buffer instead of handing the frame out twice.
     */
    @Override
    protected void deallocate() {
        owner.giveBack(this);
    }

    /** Owner thread, taking it from the pool: one reference again, empty. */
    RawFrame reuse() {
        resetRefCnt();
        clear();
        return this;
    }
}
