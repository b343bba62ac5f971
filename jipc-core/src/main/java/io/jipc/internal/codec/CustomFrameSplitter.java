package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an inbound stream with a user {@link Framing}: emits each body as a retained slice, a
 * {@link DecodeFailure} for a body over {@code maxFrameLength}, or — when the framing refuses the bytes
 * or nothing completes within {@code maxFrameLength} plus 64 KiB — a failure after which the buffered
 * bytes are dropped. A framing that throws never breaks the channel. One instance per channel.
 */
public final class CustomFrameSplitter extends ByteToMessageDecoder {
    private static final int SLACK = 64 * 1024;
    private final Framing framing;
    private final int maxFrameLength;

    /**
     * @param framing        the user framing
     * @param maxFrameLength largest body accepted
     */
    public CustomFrameSplitter(Framing framing, int maxFrameLength) {
        this.framing = framing;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            ByteBuf body;
            try {
                body = framing.readFrame(in);
            } catch (RuntimeException e) {
                in.skipBytes(in.readableBytes());
                out.add(new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE,
                    "custom framing refused the input: " + e.getMessage()));
                return;
            }
            if (body == null) {
                in.readerIndex(start);
                if (in.readableBytes() > (long) maxFrameLength + SLACK) {
                    int dropped = in.readableBytes();
                    in.skipBytes(dropped);
                    out.add(new DecodeFailure(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE, "no complete frame in "
                        + dropped + " bytes (maxFrameLength=" + maxFrameLength + "); dropped"));
                }
                return;
            }
            if (in.readerIndex() <= start) {
                in.skipBytes(in.readableBytes());
                out.add(new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE,
                    "custom framing returned a frame without consuming input"));
                return;
            }
            if (body.readableBytes() > maxFrameLength) {
                out.add(new DecodeFailure(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE, "frame of "
                    + body.readableBytes() + " bytes exceeds maxFrameLength=" + maxFrameLength));
            } else {
                out.add(body.retain());
            }
        }
    }
}
