package io.jipc.cli;

import io.jipc.internal.codec.JsonStringify;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/**
 * The one place the CLI uses the library's internal {@code JSON.stringify} writer: JSON text exactly as
 * a Node peer's {@code JSON.stringify} would print it (numbers such as {@code 1e+21}, integer-like keys
 * first in ascending order, JavaScript's string escapes). Thread-safe.
 */
final class NodeJson {
    private NodeJson() {
    }

    /** {@code JSON.stringify(value)}; Java {@code null} and missing nodes as {@code null}. */
    static String stringify(JsonNode value) {
        ByteBuf buf = Unpooled.buffer(64);
        try {
            JsonStringify.write(value, buf);
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
