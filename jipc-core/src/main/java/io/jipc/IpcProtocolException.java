package io.jipc;

/**
 * An inbound frame was refused. Delivered to {@code error} handlers; the connection stays open and
 * later frames are delivered normally. {@link #code()} mirrors node-ipc 14's {@code ERR_IPC_*} names.
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
        ERR_IPC_PAYLOAD_BINDING
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
