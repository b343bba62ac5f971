package io.jipc.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the command line: parses {@code --emit} arguments and writes received events as compact
 * one-line {@code {"type":…,"data":…}} objects.
 *
 * <p>Written with a plain Jackson {@link JsonMapper}: the library's byte-exact {@code JSON.stringify}
 * writer is internal, so number spelling (e.g. {@code 1.0E21} vs JavaScript's {@code 1e+21}) and
 * the order of integer-like keys may differ from what a Node peer would print; the values are the
 * same. Thread-safe.
 */
final class EventJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private EventJson() {
    }

    /**
     * Parses one complete JSON value.
     * @throws IllegalArgumentException saying why {@code text} is not JSON
     */
    static JsonNode parse(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("no JSON value");
        }
        return node;
    }

    /** {@code {"type":type,"data":data}}, compact; {@code data} is left out when the frame had none. */
    static String event(String type, JsonNode data) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", type);
        if (data != null && !data.isMissingNode()) {
            o.set("data", data);
        }
        return MAPPER.writeValueAsString(o);
    }

    /** {@code s} as a JSON string literal. */
    static String string(String s) {
        return MAPPER.writeValueAsString(s);
    }

    /** {@code value} as compact JSON ({@code undefined} when missing, as JavaScript would log it). */
    static String value(JsonNode value) {
        return value == null || value.isMissingNode() ? "undefined" : MAPPER.writeValueAsString(value);
    }
}
