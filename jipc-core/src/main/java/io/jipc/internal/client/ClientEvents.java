package io.jipc.internal.client;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.RecordRoute;
import io.jipc.internal.codec.WireMessage;
import io.netty.buffer.ByteBuf;

/**
 * What a {@link ClientEngine} reports, in node-ipc's order: {@code connected}; per dropped connection
 * or failed attempt {@code disconnected} (after an {@code error} for a failed attempt); when retrying
 * ends, a last {@code disconnected} then {@code destroyed}. Called on the client's event loop, never
 * concurrently; must not block.
 */
public interface ClientEvents {
    /** Connected (retry counter reset). */
    void connected();

    /** A framed message arrived. */
    void message(WireMessage message);

    /**
     * Raw bytes arrived, exactly as read. {@code bytes} is borrowed: valid only during this call, released
     * by the caller afterwards; do not keep, retain, release or move its indexes.
     */
    void raw(ByteBuf bytes);

    /** A frame was refused; the connection stays open. */
    void failure(DecodeFailure failure);

    /** A socket error, including each failed connection attempt. */
    void error(Throwable cause);

    /** The socket closed, or an attempt failed. */
    void disconnected();

    /** The outbound queue crossed its bound (false) or drained below half of it (true). */
    default void writabilityChanged(boolean writable) {
    }

    /** @return which message types' payloads may be read straight into records; null (the default) for trees only */
    default RecordRoute.Table recordRoutes() {
        return null;
    }

    /** No more attempts will be made. */
    void destroyed();
}
