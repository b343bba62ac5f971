package io.jipc.internal.buffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;

/**
 * Copies the bytes of a raw emit into a buffer the connection can own, without allocating per call once
 * warm, from any thread. Frames up to {@link FrameCache#MAX_FRAME} are recycled heap frames of the
 * sending thread's {@link FrameCache}; larger ones (and small ones once a thread's cache is full) come from
 * Netty's default allocator as direct buffers.
 *
 * <p>Why not Netty's allocators for small frames (measured in {@code RawPathBenchmark}, 100 B frames from a
 * plain thread): {@code Unpooled.copiedBuffer} is fast but makes an array and a buffer per frame (~190 B);
 * Netty 4.2's adaptive pool contends on its magazine lock with the I/O thread that frees the frames (~4×
 * slower per emit) and recycles buffer objects only up to 1024 in flight; 4.2's
 * {@code PooledByteBufAllocator} has no thread cache and no object recycling off Netty's threads.
 *
 * <p>A {@link ByteBuffer} source is copied with absolute reads, so its position, limit and mark never
 * move, not even for a moment (one buffer may be emitted from several threads at once).
 */
public final class RawCopy {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    /** Staging array for a source that is neither an array nor reachable by address (read-only heap). */
    private static final int STAGE = 4096;
    private static final FastThreadLocal<byte[]> STAGING = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[STAGE];
        }
    };

    private RawCopy() {
    }

    /** @return a new buffer (the caller's to release) holding a copy of {@code bytes} */
    public static ByteBuf of(byte[] bytes) {
        if (bytes.length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        return allocate(bytes.length).writeBytes(bytes);
    }

    /**
     * @return a new buffer (the caller's to release) holding a copy of the bytes between {@code src}'s
     *         position and limit; {@code src} is only read
     */
    public static ByteBuf of(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf dst = allocate(n);
        try {
            append(dst, src, src.position(), n);
        } catch (RuntimeException | Error e) {
            dst.release();
            throw e;
        }
        return dst;
    }

    private static ByteBuf allocate(int n) {
        if (n <= FrameCache.MAX_FRAME) {
            RawFrame f = FrameCache.take(n);
            if (f != null) {
                return f;
            }
        }
        return ALLOC.directBuffer(n, n);
    }

    private static void append(ByteBuf dst, ByteBuffer src, int from, int n) {
        int at = dst.writerIndex();
        if (dst.hasArray()) {
            src.get(from, dst.array(), dst.arrayOffset() + at, n); // absolute bulk get: any kind of source
            dst.writerIndex(at + n);
        } else if (src.hasArray()) {
            dst.writeBytes(src.array(), src.arrayOffset() + from, n);
        } else if (src.isDirect() && dst.hasMemoryAddress() && PlatformDependent.hasUnsafe()) {
            PlatformDependent.copyMemory(PlatformDependent.directBufferAddress(src) + from, dst.memoryAddress() + at, n);
            dst.writerIndex(at + n);
        } else {
            byte[] stage = STAGING.get();
            for (int done = 0; done < n; ) {
                int k = Math.min(stage.length, n - done);
                src.get(from + done, stage, 0, k);
                dst.writeBytes(stage, 0, k);
                done += k;
            }
        }
    }
}
