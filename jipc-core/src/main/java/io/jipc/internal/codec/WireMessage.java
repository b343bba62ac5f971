package io.jipc.internal.codec;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One decoded framed message: its {@link #type()} and {@link #data()}, plus {@link #dataId()} found while
 * decoding. Equality, hash and text are those of a record of type and data.
 */
public final class WireMessage {
    private final String type;
    private final JsonNode data;
    private final String dataId;

    /**
     * @param type the event type (any string, including names like {@code connect}; these are
     *             ordinary messages and never lifecycle events)
     * @param data the payload; {@code MissingNode} when the frame had no {@code data} member
     */
    public WireMessage(String type, JsonNode data) {
        this(type, data, idOf(data));
    }

    /** As {@link #WireMessage(String, JsonNode)} with {@link #dataId()} already known (the decoder's). */
    WireMessage(String type, JsonNode data, String dataId) {
        this.type = type;
        this.data = data;
        this.dataId = dataId;
    }

    /** @return the event type */
    public String type() {
        return type;
    }

    /** @return the payload; {@code MissingNode} when the frame had no {@code data} member */
    public JsonNode data() {
        return data;
    }

    /**
     * @return {@code data.id} as it arrived when {@code data} is an object whose {@code id} is a string, else null
     *         (what node-ipc 9–12 servers adopt as the socket's id)
     */
    public String dataId() {
        return dataId;
    }

    private static String idOf(JsonNode data) {
        if (data != null && data.isObject()) {
            JsonNode id = data.get("id");
            if (id != null && id.isString()) {
                return id.asString();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireMessage m && Objects.equals(type, m.type) && Objects.equals(data, m.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(type) + Objects.hashCode(data);
    }

    @Override
    public String toString() {
        return "WireMessage[type=" + type + ", data=" + data + "]";
    }
}
