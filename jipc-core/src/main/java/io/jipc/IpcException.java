package io.jipc;

/** A jipc operation failed: a server could not listen, a handler threw, a payload could not be written. */
public class IpcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the path or option concerned
     * @param cause   the underlying failure, or {@code null}
     */
    public IpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
