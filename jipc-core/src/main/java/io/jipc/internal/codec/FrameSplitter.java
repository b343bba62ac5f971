package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an inbound byte stream into frames at a delimiter of one or more bytes.
 *
 * <p>Emits each frame (delimiter removed) as a retained {@link ByteBuf} slice, or a
 * {@link DecodeFailure} with {@link ProtocolErrorCode#ERR_IPC_FRAME_TOO_LARGE} for a frame longer than
 * {@code maxFrameLength}; the oversized bytes are skipped up to the next delimiter and the stream goes
 * on. Works on any chunking: bytes already scanned are not scanned again, so a frame arriving one byte
 * per read costs linear time. Every complete frame in a read is emitted at once (unlike node-ipc 9–12,
 * which waits until a read ends exactly on a delimiter). One instance per channel.
 */
public final class FrameSplitter extends ByteToMessageDecoder {
    private final byte[] delimiter;
    private final int maxFrameLength;
    /** Bytes after readerIndex already known not to start a delimiter. */
    private int scanned;
    /** True while skipping the rest of an oversized frame. */
    private boolean discarding;

    /**
     * @param delimiter      delimiter bytes, at least one
     * @param maxFrameLength largest frame accepted, delimiter excluded
     */
    public FrameSplitter(byte[] delimiter, int maxFrameLength) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        this.delimiter = delimiter.clone();
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int end = DelimiterSearch.indexOf(in, start + scanned, in.writerIndex(), delimiter);
            if (end < 0) {
                int readable = in.readableBytes();
                scanned = Math.max(0, readable - (delimiter.length - 1));
                if (readable > (long) maxFrameLength + delimiter.length - 1) {
                    if (!discarding) {
                        discarding = true;
                        out.add(tooLarge(readable));
                    }
                    int skip = scanned;
                    in.skipBytes(skip);
                    scanned -= skip;
                }
                return;
            }
            int length = end - start;
            scanned = 0;
            if (discarding) {
                discarding = false;
                in.skipBytes(length + delimiter.length);
            } else if (length > maxFrameLength) {
                in.skipBytes(length + delimiter.length);
                out.add(tooLarge(length));
            } else {
                out.add(in.readRetainedSlice(length));
                in.skipBytes(delimiter.length);
            }
        }
    }

    private DecodeFailure tooLarge(long seen) {
        return new DecodeFailure(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE,
            "frame exceeds maxFrameLength=" + maxFrameLength + " bytes (at least " + seen + " bytes seen); skipped");
    }
}
