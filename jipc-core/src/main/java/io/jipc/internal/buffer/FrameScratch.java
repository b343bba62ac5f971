package io.jipc.internal.buffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;

/**
 * A growable heap buffer of the calling thread in which an encoder builds one frame whose size it cannot
 * know in advance, and then copies out at its exact size: up to {@link #MAX_CACHED} into a
 * recycled frame of the thread's {@link FrameCache}, so a warm sender allocates nothing per frame, larger
 * ones into a buffer of the given allocator. The copy of a small frame is a few nanoseconds, far less than
 * the allocation and the growth checks it saves.
 *
 * <p>One per platform thread, lent to one user at a time: {@link #lend()} answers {@code null} on a virtual
 * thread (there could be millions) and when the thread's scratch is already lent (an encoder re-entered from
 * a serializer), and the caller then builds its frame some other way. Not thread-safe; use with
 * try-with-resources on the lending thread.
 */
public final class FrameScratch implements AutoCloseable {
    /** A scratch grown beyond this is dropped after use, so a thread keeps at most this much. */
    public static final int MAX_KEPT = 64 * 1024;
    /**
     * Encoded frames up to this size are copied out into recycled frames of the thread's cache; larger ones
     * into {@code large} (16 KiB frames were faster in pooled direct buffers, which the socket writes as is).
     */
    static final int MAX_CACHED = 4096;
    private static final int INITIAL = 512;
    private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);
    private static final FastThreadLocal<FrameScratch> OF_THREAD = new FastThreadLocal<>() {
        @Override
        protected FrameScratch initialValue() {
            return new FrameScratch();
        }
    };

    /** The frames of this scratch's thread (a platform thread: no scratch is made on a virtual one). */
    private final FrameCache frames;
    private ByteBuf buf = HEAP.heapBuffer(INITIAL);
    private boolean lent;
    /** What an encoder keeps with this thread's scratch (its generator, say); see {@link #attachment()}. */
    private Object attachment;

    private FrameScratch() {
        frames = FrameCache.ofCurrentThread();
    }

    /** @return the calling thread's scratch, empty, or {@code null} when the thread is virtual or its scratch is lent */
    public static FrameScratch lend() {
        if (PlatformDependent.isVirtualThread(Thread.currentThread())) {
            return null;
        }
        FrameScratch s = OF_THREAD.get();
        if (s.lent) {
            return null;
        }
        s.lent = true;
        s.buf.clear();
        return s;
    }

    /** @return the buffer to write into (array-backed, growable); valid until {@link #close()} */
    public ByteBuf buffer() {
        return buf;
    }

    /**
     * @return a new buffer the caller owns holding the readable bytes of {@link #buffer()}: a recycled frame
     *         of this thread when they fit one, else an unpooled heap buffer when small, else one of {@code large}
     */
    public ByteBuf copy(ByteBufAllocator large) {
        int n = buf.readableBytes();
        ByteBuf dst;
        if (n <= MAX_CACHED) {
            dst = frames.frame(Math.max(1, n));
            if (dst == null) {
                dst = HEAP.heapBuffer(n, n); // the thread's cache is full (frames held, say, while disconnected)
            }
        } else {
            dst = large.buffer(n, n);
        }
        return dst.writeBytes(buf, buf.readerIndex(), n);
    }

    /**
     * @return what an encoder attached to this scratch ({@link #attach}), or null: state of the same thread
     *         and lifetime as the scratch, found through the {@link #lend()} the encoder makes anyway instead of
     *         a thread-local lookup of its own
     */
    public Object attachment() {
        return attachment;
    }

    /** Keeps {@code state} with this scratch, for {@link #attachment()}; replaces what was attached. */
    public void attach(Object state) {
        attachment = state;
    }

    /** Hands the scratch back; the next {@link #lend()} on this thread may reuse it. */
    @Override
    public void close() {
        if (buf.capacity() > MAX_KEPT) {
            buf.release();
            buf = HEAP.heapBuffer(INITIAL);
        }
        lent = false;
    }
}
