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
    ERR_IPC_PAYLOAD_BINDING
}
