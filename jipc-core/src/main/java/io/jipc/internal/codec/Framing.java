package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;

/** Custom framing as the internal layers take it (the public {@code FrameCodec}, adapted). Stateless. */
public interface Framing {
    /** Appends one frame carrying {@code body} to {@code out}. */
    void writeFrame(ByteBuf body, ByteBuf out);

    /** @return the next body as a slice of {@code in} (reader index moved past the frame), or null for "need more" */
    ByteBuf readFrame(ByteBuf in);
}
