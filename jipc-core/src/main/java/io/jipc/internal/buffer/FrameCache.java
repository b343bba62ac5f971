package io.jipc.internal.buffer;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link RawFrame}s of one sending thread: frames of 64 B to {@link #MAX_FRAME} in power-of-two size
 * classes, at most {@link #MAX_BYTES} of them per thread. Taking a frame is lock-free and allocation-free
 * once warm: the owner pops from its own free list of the size class; a frame the owner releases itself
 * (say once copied into a batch on the sending thread) goes straight back onto that list; a frame released
 * on another thread (the I/O thread, once the frame is copied or written) is pushed onto the returned list
 * of its class, which the owner takes over whole when its free list runs dry (push-only plus take-all: no
 * ABA, and no walk over the returned frames).
 *
 * <p>Per platform thread; virtual threads get no cache (there could be millions). A cache is reachable
 * only from its thread and its frames in flight, so it goes away with them.
 */
final class FrameCache {
    /** The largest frame served from a cache; larger ones come from Netty's pool. */
    static final int MAX_FRAME = 16 * 1024;
    /** Bytes of frames one thread may keep (its frames in flight plus its free ones). */
    static final int MAX_BYTES = 4 << 20;
    private static final int MIN_SHIFT = 6;
    private static final int CLASSES = Integer.numberOfTrailingZeros(MAX_FRAME) - MIN_SHIFT + 1;
    private static final FastThreadLocal<FrameCache> OF_THREAD = new FastThreadLocal<>() {
        @Override
        protected FrameCache initialValue() {
            return new FrameCache();
        }
    };

    /** The thread whose cache this is. */
    private final Thread ownerThread = Thread.currentThread();
    /** Free frames per size class, linked through {@link RawFrame#next}; owner thread only. */
    private final RawFrame[] free = new RawFrame[CLASSES];
    /** Frames released by any thread, per size class, linked through {@link RawFrame#next}. */
    private final AtomicReferenceArray<RawFrame> returned = new AtomicReferenceArray<>(CLASSES);
    /** Capacity of all frames this cache made; owner thread only. */
    private int madeBytes;

    private FrameCache() {
    }

    /**
     * @return an empty frame of at least {@code size} bytes ({@code 1 <= size <= MAX_FRAME}) from the calling
     *         thread's cache, or {@code null} when the thread is virtual or its cache is at {@link #MAX_BYTES}
     */
    static RawFrame take(int size) {
        FrameCache cache = ofCurrentThread();
        return cache == null ? null : cache.frame(size);
    }

    /** @return the calling thread's cache, or {@code null} when the thread is virtual */
    static FrameCache ofCurrentThread() {
        if (PlatformDependent.isVirtualThread(Thread.currentThread())) {
            return null;
        }
        return OF_THREAD.get();
    }

    /**
     * Owner thread only: as {@link #take}.
     * @return an empty frame of at least {@code size} bytes, or {@code null} when this cache is at {@link #MAX_BYTES}
     */
    RawFrame frame(int size) {
        int c = Math.max(0, 32 - Integer.numberOfLeadingZeros(size - 1) - MIN_SHIFT);
        RawFrame f = free[c];
        if (f == null) {
            f = returned.getAndSet(c, null);
        }
        if (f != null) {
            free[c] = f.next;
            f.next = null;
            return f.reuse();
        }
        int capacity = 1 << (c + MIN_SHIFT);
        if (madeBytes > MAX_BYTES - capacity) {
            return null;
        }
        madeBytes += capacity;
        return new RawFrame(this, c, capacity);
    }

    /** Takes back a released frame; any thread. */
    void giveBack(RawFrame f) {
        int c = f.sizeClass;
        if (Thread.currentThread() == ownerThread) {
            f.next = free[c]; // the owner's own list: no atomics, and the next take finds it first
            free[c] = f;
            return;
        }
        RawFrame head;
        do {
            head = returned.get(c);
            f.next = head;
        } while (!returned.compareAndSet(c, head, f));
    }
}
