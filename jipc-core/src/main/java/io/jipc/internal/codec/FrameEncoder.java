package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Builds the bytes of one framed message: {@code {"type":…,"data":…}} exactly as node-ipc's
 * {@code JSON.stringify} writes it, followed by the delimiter.
 *
 * <p>Immutable and thread-safe: encoding may run on any thread, so callers encode on their own thread
 * and hand finished buffers to the event loop.
 */
public final class FrameEncoder {
    private static final byte[] TYPE_PREFIX = "{\"type\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DATA_PREFIX = ",\"data\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] delimiter;
    private final PayloadRules rules;
    private final JsonMapper mapper;
    private final Framing framing;

    /**
     * @param delimiter frame delimiter bytes
     * @param legacy    node-ipc 9–12 payload rules when true, 14's otherwise
     * @param mapper    converts arbitrary Java values to JSON trees
     */
    public FrameEncoder(byte[] delimiter, boolean legacy, JsonMapper mapper) {
        this(delimiter, legacy, mapper, null);
    }

    /**
     * @param framing custom framing used instead of the delimiter, or null
     */
    public FrameEncoder(byte[] delimiter, boolean legacy, JsonMapper mapper, Framing framing) {
        this.framing = framing;
        this.delimiter = delimiter.clone();
        this.rules = legacy ? PayloadRules.LEGACY : PayloadRules.MODERN;
        this.mapper = mapper;
    }

    /**
     * Encodes one frame.
     * @param type the event type, not null
     * @param data the payload: any value Jackson can write, a {@link JsonNode}, {@code null}, or
     *             {@link MissingNode} for "no payload" (JavaScript {@code undefined})
     * @return a new buffer the caller owns
     * @throws IllegalArgumentException if {@code data} cannot be converted to JSON
     */
    public ByteBuf encode(ByteBufAllocator alloc, String type, Object data) {
        JsonNode node = rules.normalise(toTree(data));
        ByteBuf out = alloc.buffer(32 + type.length());
        try {
            out.writeBytes(TYPE_PREFIX);
            JsonStringWriter.writeQuoted(type, out);
            out.writeBytes(DATA_PREFIX);
            JsonStringify.write(node, out);
            out.writeByte('}');
            if (framing == null) {
                out.writeBytes(delimiter);
            }
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        return framing == null ? out : frame(alloc, out);
    }

    /** Wraps an encoded body with the custom framing; releases {@code body}. */
    private ByteBuf frame(ByteBufAllocator alloc, ByteBuf body) {
        ByteBuf framed = alloc.buffer(body.readableBytes() + 16);
        try {
            framing.writeFrame(body, framed);
            return framed;
        } catch (RuntimeException e) {
            framed.release();
            throw new IllegalArgumentException("custom framing could not write a frame: " + e.getMessage(), e);
        } finally {
            body.release();
        }
    }

    private JsonNode toTree(Object data) {
        if (data instanceof JsonNode) {
            return (JsonNode) data;
        }
        if (data == null) {
            return mapper.getNodeFactory().nullNode();
        }
        try {
            return mapper.valueToTree(data);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot write payload of type " + data.getClass().getName()
                + " as JSON: " + e.getMessage(), e);
        }
    }
}
