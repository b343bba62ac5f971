package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cumulates a connection's reads in a heap buffer, so {@link FrameSplitter} decodes frames straight from its
 * array: each byte read is copied once (direct read buffer to heap), where Netty's merging cumulator copies a
 * read into a direct cumulation whenever a frame's tail is pending and the splitter then copies the bytes
 * again into its scratch array. A read that arrives with nothing pending is taken as it is if already on the
 * heap, else copied into a heap buffer of its size. Once a frame's tail is pending the buffer grows to twice
 * what it must hold, so the reads that follow append without a new buffer until the decoder discards what it
 * consumed. Stateless; follows {@link ByteToMessageDecoder.Cumulator}'s
 * ownership rules ({@code in} is always released or returned, a replaced cumulation released).
 */
final class HeapCumulator implements ByteToMessageDecoder.Cumulator {
    static final HeapCumulator INSTANCE = new HeapCumulator();
    /** Smallest heap cumulation made: room for a few full reads. */
    private static final int MIN_CAPACITY = 128 * 1024;

    private HeapCumulator() {
    }

    @Override
    public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (cumulation == in) {
            in.release(); // the decoder's own reentrant call
            return cumulation;
        }
        if (!cumulation.isReadable() && in.hasArray()) {
            cumulation.release();
            return in;
        }
        try {
            int required = in.readableBytes();
            if (cumulation.hasArray() && cumulation.refCnt() == 1 && !cumulation.isReadOnly()
                    && cumulation.maxFastWritableBytes() >= required) {
                cumulation.writeBytes(in, in.readerIndex(), required);
                return cumulation;
            }
            int pending = cumulation.readableBytes();
            // nothing pending: a copy of this read alone (most reads end on a delimiter and are consumed whole);
            // a tail pending: room for the reads that follow it
            ByteBuf grown = alloc.heapBuffer(pending == 0 ? required : Math.max(MIN_CAPACITY, 2 * (pending + required)));
            grown.writeBytes(cumulation, cumulation.readerIndex(), pending);
            grown.writeBytes(in, in.readerIndex(), required);
            cumulation.release();
            return grown;
        } finally {
            in.release();
        }
    }
}
