package io.jipc;

/**
 * Handles one message type on a server: receives the payload and the socket it came from.
 *
 * <p>Called on the connection's I/O thread, in arrival order per connection. Keep it short and never
 * block; hand long work to an executor. Anything it throws is caught and reported to the server's
 * {@link IpcServer#onError error handlers}; the connection and the I/O thread carry on.
 *
 * @param <T> payload type: {@code JsonNode}, {@code byte[]} for raw data, or a bound Java type
 */
@FunctionalInterface
public interface ServerHandler<T> {
    /**
     * @param data   the payload ({@code MissingNode} / {@code null} when the frame carried none)
     * @param socket the connection it arrived on
     * @throws Exception anything; reported, never fatal
     */
    void handle(T data, IpcSocket socket) throws Exception;
}
