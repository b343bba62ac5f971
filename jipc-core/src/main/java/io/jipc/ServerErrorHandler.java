package io.jipc;

/**
 * Receives a server's {@code error} events: socket errors, refused frames
 * ({@link IpcProtocolException}), and exceptions thrown by handlers. Called on an I/O thread; must
 * not block; anything it throws is logged and dropped.
 */
@FunctionalInterface
public interface ServerErrorHandler {
    /**
     * @param error  what went wrong
     * @param socket the connection concerned, or {@code null} for the server itself
     */
    void onError(Throwable error, IpcSocket socket);
}
