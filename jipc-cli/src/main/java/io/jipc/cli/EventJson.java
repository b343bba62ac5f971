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
 * <p>Output goes through {@link NodeJson}, so it is byte for byte what a Node peer's
 * {@code JSON.stringify} prints: numbers as JavaScript spells them ({@code 1e+21}, {@code 0.1}),
 * integer-like keys first in ascending order, then the others in received order. Thread-safe.
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
        return NodeJson.stringify(o);
    }

    /** A new, empty JSON object, for the lifecycle and data lines ({@link Lifecycle}). */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code o} as one compact line, as {@code JSON.stringify} prints it. */
    static String line(ObjectNode o) {
        return NodeJson.stringify(o);
    }

    /** {@code s} as a JSON string literal. */
    static String string(String s) {
        return NodeJson.stringify(MAPPER.getNodeFactory().stringNode(s));
    }

    /** {@code value} as compact JSON ({@code undefined} when missing, as JavaScript would log it). */
    static String value(JsonNode value) {
        return value == null || value.isMissingNode() ? "undefined" : NodeJson.stringify(value);
    }
}
