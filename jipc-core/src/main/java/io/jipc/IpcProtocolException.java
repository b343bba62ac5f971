package io.jipc;

/**
 * A frame was refused or a protocol rule was broken. Inbound: delivered to {@code error} handlers; under
 * {@link ParserProfile#FAST} the connection stays open, under guarded/assured it closes. Outbound: an
 * emit fails with it (thrown, or as the failure of the returned stage). {@link #code()} mirrors
 * node-ipc 14's {@code ERR_IPC_*} names, so logs read the same in both worlds.
 */
public final class IpcProtocolException extends IpcException {
    private static final long serialVersionUID = 1L;

    /** Why a frame was refused. */
    public enum Code {
        /** Empty frame or text that is not JSON. */
        ERR_IPC_INVALID_JSON,
        /** JSON that is not an object. */
        ERR_IPC_INVALID_MESSAGE,
        /** An object whose {@code type} is missing or not a string. */
        ERR_IPC_INVALID_EVENT,
        /** Bytes that are not valid UTF-8. */
        ERR_IPC_INVALID_UTF8,
        /** A frame longer than {@link IpcConfig#maxFrameLength()}. */
        ERR_IPC_FRAME_TOO_LARGE,
        /** A payload that does not bind to the handler's Java type. */
        ERR_IPC_PAYLOAD_BINDING,
        /** An event name longer than {@code maxEventNameLength} (guarded). */
        ERR_IPC_EVENT_TOO_LARGE,
        /** A lifecycle or JavaScript prototype name used as a message type (guarded). */
        ERR_IPC_RESERVED_EVENT,
        /** A type outside {@code allowedEvents} (assured). */
        ERR_IPC_EVENT_NOT_ALLOWED,
        /** An incomplete frame waited longer than {@code messageTimeout} (guarded). */
        ERR_IPC_MESSAGE_TIMEOUT,
        /** A connection's outbound queue passed {@code maxPendingBytes}. */
        ERR_IPC_BACKPRESSURE,
        /** The assured profile forbids this transport. */
        ERR_IPC_ASSURED_TRANSPORT,
        /** The assured profile needs mutual TLS. */
        ERR_IPC_ASSURED_TLS,
        /** The socket root is unsafe. */
        ERR_IPC_SOCKET_ROOT,
        /** A path to bind is taken by something that is not a socket. */
        ERR_IPC_UNLINK_NOT_SOCKET,
        /** The server's authorize hook refused the peer. */
        ERR_IPC_UNAUTHORIZED
    }

    private final Code code;

    /**
     * @param code    why
     * @param message what was wrong (never the whole payload)
     * @param cause   underlying failure, or {@code null}
     */
    public IpcProtocolException(Code code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** @return why the frame was refused */
    public Code code() {
        return code;
    }
}
