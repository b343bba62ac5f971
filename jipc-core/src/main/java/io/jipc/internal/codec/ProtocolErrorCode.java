package io.jipc.internal.codec;

/** Why an inbound frame was refused; names mirror node-ipc 14's {@code ERR_IPC_*} codes. */
public enum ProtocolErrorCode {
    /** Empty frame or text that is not JSON. */
    ERR_IPC_INVALID_JSON,
    /** JSON that is not an object (null, array, number, string, boolean). */
    ERR_IPC_INVALID_MESSAGE,
    /** An object whose {@code type} is missing or not a string. */
    ERR_IPC_INVALID_EVENT,
    /** Frame bytes that are not valid UTF-8 (jipc; node-ipc silently replaces them). */
    ERR_IPC_INVALID_UTF8,
    /** A frame longer than the configured maximum. */
    ERR_IPC_FRAME_TOO_LARGE,
    /** A payload that could not be bound to the handler's Java type (jipc). */
    ERR_IPC_PAYLOAD_BINDING,
    /** An event name longer than {@code maxEventNameLength}. */
    ERR_IPC_EVENT_TOO_LARGE,
    /** A lifecycle or JavaScript prototype name used as a message type. */
    ERR_IPC_RESERVED_EVENT,
    /** A type outside {@code allowedEvents}. */
    ERR_IPC_EVENT_NOT_ALLOWED,
    /** An incomplete frame waited longer than {@code messageTimeout}. */
    ERR_IPC_MESSAGE_TIMEOUT,
    /** The outbound queue of a connection passed {@code maxPendingBytes}. */
    ERR_IPC_BACKPRESSURE,
    /** The assured profile forbids this transport (UDP, plain TCP). */
    ERR_IPC_ASSURED_TRANSPORT,
    /** The assured profile needs mutual TLS with verification on both sides. */
    ERR_IPC_ASSURED_TLS,
    /** The socket root is a symlink, owned by someone else, or cannot be made private. */
    ERR_IPC_SOCKET_ROOT,
    /** A path to bind is taken by something that is not a socket. */
    ERR_IPC_UNLINK_NOT_SOCKET,
    /** The server's authorize hook refused the peer (jipc). */
    ERR_IPC_UNAUTHORIZED
}
