package io.jipc.internal.connection;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.RecordRoute;
import io.jipc.internal.codec.WireMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Receives what happens on one {@link Connection}. Called on that connection's event loop, in order;
 * implementations must not block and must not throw (a throw is logged and swallowed by the caller).
 */
public interface ConnectionListener {
    /** The connection is open and usable. */
    void connected(Connection connection);

    /** A framed message arrived. */
    void message(Connection connection, WireMessage message);

    /**
     * Raw bytes arrived (raw mode), exactly as read. {@code bytes} is borrowed: its readable bytes are the
     * data, it is valid only during this call and the caller releases it afterwards. Do not keep, retain,
     * release or move its indexes; copy what must outlive the call.
     */
    void raw(Connection connection, ByteBuf bytes);

    /**
     * Raw bytes arrived as an array the listener may keep (datagrams). By default handed on, wrapped, to
     * {@link #raw(Connection, ByteBuf)}; a listener that hands arrays on may override it to skip a copy.
     */
    default void raw(Connection connection, byte[] bytes) {
        raw(connection, Unpooled.wrappedBuffer(bytes));
    }

    /** A frame was refused; the connection stays open. */
    void failure(Connection connection, DecodeFailure failure);

    /** A socket-level error; a close usually follows. */
    void error(Connection connection, Throwable cause);

    /** The connection closed; called exactly once, after {@link #connected}. */
    void disconnected(Connection connection);

    /**
     * The channel closed without ever counting as connected (a TLS handshake that failed or was cut
     * short; the failure was reported through {@link #error} first).
     */
    default void closedBeforeConnect(Connection connection) {
    }

    /**
     * @return which message types' payloads may be read straight into records ({@link RecordRoute}); null (the
     *         default) for trees only. Asked once per channel, when its pipeline is set up.
     */
    default RecordRoute.Table recordRoutes() {
        return null;
    }

    /** The outbound buffer crossed its high (not writable) or low (writable again) mark. */
    default void writabilityChanged(Connection connection, boolean writable) {
    }
}
