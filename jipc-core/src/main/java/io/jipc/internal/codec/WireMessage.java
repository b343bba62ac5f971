package io.jipc.internal.codec;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One decoded framed message: its {@link #type()} and {@link #data()}, plus {@link #dataId()} found while
 * decoding; or, when its type has a {@link RecordRoute}, its payload read straight into {@link #record()} instead
 * of a tree. Equality, hash and text are those of a record of type, data and record.
 */
public sealed class WireMessage permits WireMessage.Routed {
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

    /**
     * @return the payload; {@code MissingNode} when the frame had no {@code data} member; null when it was read
     *         into {@link #record()} instead
     */
    public JsonNode data() {
        return data;
    }

    /** @return the payload as the record its type's {@link #route()} reads, or null when it is in {@link #data()} */
    public Object record() {
        return null;
    }

    /** @return the route {@link #record()} was read for, or null */
    public RecordRoute route() {
        return null;
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
        return o instanceof WireMessage m && Objects.equals(type, m.type) && Objects.equals(data, m.data)
            && Objects.equals(record(), m.record());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, data, record());
    }

    @Override
    public String toString() {
        Object record = record();
        return "WireMessage[type=" + type + (record == null ? ", data=" + data : ", record=" + record) + "]";
    }

    /** A message whose payload its route's reader read into a record, without a tree (a subclass, so others stay small). */
    static final class Routed extends WireMessage {
        private final Object record;
        private final RecordRoute route;

        Routed(String type, Object record, RecordRoute route, String dataId) {
            super(type, null, dataId);
            this.record = record;
            this.route = route;
        }

        @Override
        public Object record() {
            return record;
        }

        @Override
        public RecordRoute route() {
            return route;
        }
    }
}
