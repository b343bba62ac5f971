package io.jipc;

import io.netty.buffer.ByteBuf;

/**
 * Custom framing — the framing half of node-ipc 14's custom parser: how each message body (the JSON
 * text {@code {"type":…,"data":…}}, unchanged) is marked off on a stream, e.g. with a length prefix
 * instead of a delimiter. Set with {@link IpcConfig.Builder#frameCodec(FrameCodec)}; it replaces
 * {@code delimiter}. Every other rule still applies to the bodies it yields: UTF-8, JSON, the envelope,
 * {@code maxMessageSize} and the profile's checks. Stream transports only (Unix, TCP, TLS).
 *
 * <p>Implementations must be stateless (one instance serves every connection, on several threads) and
 * must not block.
 */
public interface FrameCodec {
    /**
     * Appends one frame carrying {@code body} to {@code out}. Must not release {@code body}.
     * @param body the encoded message
     * @param out  where the frame goes
     */
    void writeFrame(ByteBuf body, ByteBuf out);

    /**
     * Takes the next complete frame from {@code in}, starting at its reader index.
     * @param in bytes received so far (do not release, do not retain)
     * @return the body as a slice of {@code in}, with {@code in}'s reader index moved past the whole
     *         frame; or {@code null} when more bytes are needed (leave the reader index where it was)
     * @throws IllegalArgumentException when the bytes can never form a frame; the message is reported
     *         as an {@code ERR_IPC_INVALID_MESSAGE} error and the buffered bytes are dropped
     */
    ByteBuf readFrame(ByteBuf in);
}
