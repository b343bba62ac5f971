package io.jipc;

/**
 * Handles one message type on a client.
 *
 * <p>Called on the client's I/O thread, in arrival order. Keep it short and never block. Anything it
 * throws is caught and reported to the client's {@link IpcClient#onError error handlers}.
 *
 * @param <T> payload type: {@code JsonNode}, {@code byte[]} for raw data, or a bound Java type
 */
@FunctionalInterface
public interface ClientHandler<T> {
    /**
     * @param data the payload ({@code MissingNode} / {@code null} when the frame carried none)
     * @throws Exception anything; reported, never fatal
     */
    void handle(T data) throws Exception;
}
