package io.jipc.internal.codec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * How a payload is normalised before sending, per node-ipc generation.
 * <ul>
 *   <li>LEGACY (9–12): falsy payloads except {@code false} and {@code 0} — {@code null}, {@code ""},
 *       NaN, missing — and objects with a truthy {@code _maxListeners} become {@code {}}.</li>
 *   <li>MODERN (14): only a missing payload becomes {@code {}}.</li>
 * </ul>
 */
enum PayloadRules {
    LEGACY {
        @Override
        JsonNode normalise(JsonNode data) {
            if (data.isMissingNode() || data.isNull()) {
                return EMPTY;
            }
            if (data.isString() && data.asString().isEmpty()) {
                return EMPTY;
            }
            if (data.isNumber() && data.isFloatingPointNumber() && Double.isNaN(data.doubleValue())) {
                return EMPTY;
            }
            if (data.isObject() && truthy(data.get("_maxListeners"))) {
                return EMPTY;
            }
            return data;
        }
    },
    MODERN {
        @Override
        JsonNode normalise(JsonNode data) {
            return data.isMissingNode() ? EMPTY : data;
        }
    };

    static final JsonNode EMPTY = JsonNodeFactory.instance.objectNode();

    abstract JsonNode normalise(JsonNode data);

    /** JavaScript truthiness of a JSON value ({@code null} = absent). */
    static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (v.isString()) {
            return !v.asString().isEmpty();
        }
        return true;
    }
}
