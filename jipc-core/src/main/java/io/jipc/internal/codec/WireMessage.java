package io.jipc.internal.codec;

import tools.jackson.databind.JsonNode;

/**
 * One decoded framed message.
 *
 * @param type the event type (any string, including names like {@code connect}; these are
 *             ordinary messages and never lifecycle events)
 * @param data the payload; {@code MissingNode} when the frame had no {@code data} member
 */
public record WireMessage(String type, JsonNode data) {
}
