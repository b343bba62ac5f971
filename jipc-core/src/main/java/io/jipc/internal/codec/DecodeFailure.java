package io.jipc.internal.codec;

/**
 * An inbound frame that could not become a message. Travels up the pipeline in place of a
 * {@link WireMessage}; the connection stays usable.
 *
 * @param code    why
 * @param message a human-readable explanation naming what was wrong (never the whole payload)
 */
public record DecodeFailure(ProtocolErrorCode code, String message) {
}
