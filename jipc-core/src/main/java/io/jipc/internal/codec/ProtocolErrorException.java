package io.jipc.internal.codec;

/** A refused send or a protocol violation detected below the public API, with its code. */
public final class ProtocolErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ProtocolErrorCode code;

    /**
     * @param code    why
     * @param message what, naming the value and the limit
     */
    public ProtocolErrorException(ProtocolErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** @return why */
    public ProtocolErrorCode code() {
        return code;
    }
}
