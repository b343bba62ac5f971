package io.jipc;

/**
 * How strictly inbound (and outbound) frames are checked — node-ipc 14's parser profiles.
 *
 * <ul>
 *   <li>{@link #RAW}: no framing, no JSON (same as {@link IpcConfig.Builder#rawBuffer(boolean) rawBuffer}).</li>
 *   <li>{@link #FAST} (default): a frame that is not a JSON object with a string {@code type} becomes an
 *       {@code error} event with an {@link IpcProtocolException.Code}; the connection stays up unless
 *       {@link IpcConfig.Builder#closeOnProtocolError(boolean)} is set. {@code maxMessageSize} defaults
 *       to 64 MiB; no other limits.</li>
 *   <li>{@link #GUARDED}: limits on by default — {@code maxMessageSize} 1 MiB, {@code maxPendingBytes}
 *       8 MiB (then {@code ERR_IPC_BACKPRESSURE} and close), {@code maxEventNameLength} 256,
 *       {@code messageTimeout} 30 s for an incomplete frame; reserved event names ({@code start connect
 *       disconnect destroy close socket.disconnected error data} and JavaScript prototype names) refused
 *       unless {@code allowReservedEvents}. Any violation closes that connection with a coded error;
 *       nothing else is affected.</li>
 *   <li>{@link #ASSURED}: {@link #GUARDED} plus an {@code allowedEvents} allow-list (checked on send
 *       and receive), mutual TLS required for network servers and clients, no UDP; Unix sockets
 *       locally.</li>
 * </ul>
 */
public enum ParserProfile {
    /** No framing, no JSON. */
    RAW,
    /** Coded errors, connection kept (default). */
    FAST,
    /** Limits and reserved names; violations close the connection. */
    GUARDED,
    /** Guarded plus an allow-list, mutual TLS on the network, no UDP. */
    ASSURED
}
