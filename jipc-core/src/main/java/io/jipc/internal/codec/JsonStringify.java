package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.POJONode;

/**
 * Writes a Jackson {@link JsonNode} tree as UTF-8 bytes identical to what ECMAScript
 * {@code JSON.stringify(JSON.parse(text))} produces in a Node.js peer:
 *
 * <ul>
 *   <li>compact, no whitespace; strings via {@link JsonStringWriter}; numbers via
 *       {@link EcmaNumbers} (non-finite → {@code null}; integers beyond 2^53 lose precision as
 *       in JavaScript; a {@code FloatNode} is taken as its shortest decimal, see
 *       {@link EcmaNumbers#floatToDouble(float)});
 *   <li>object members in insertion order, except that array-index keys (canonical decimal
 *       integers 0..2^32-2: {@code "0"}, {@code "42"}, not {@code "01"}, {@code "-1"},
 *       {@code "4294967295"}) come first in ascending numeric order, as for a JavaScript object;
 *   <li>{@code NullNode} and {@code MissingNode} → {@code null}; {@code BinaryNode} → a string
 *       with its standard base64 (RFC 4648, padded, no line breaks), as Jackson itself writes it;
 *   <li>{@code POJONode}: its value is converted with {@link JsonMapper#shared()} to a tree and
 *       that tree is written ({@code null} value → {@code null}).
 * </ul>
 *
 * <p>Errors: {@link IllegalArgumentException} when a POJO cannot be converted to a tree or when
 * nesting exceeds {@link #MAX_DEPTH}; on any exception the buffer's writer index is restored, so no
 * partial output is left behind. Stateless and thread-safe (the tree must not be mutated
 * concurrently).
 */
public final class JsonStringify {
    /** Maximum nesting of arrays/objects (same as Jackson's default write nesting limit). */
    public static final int MAX_DEPTH = 1000;

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final Comparator<Map.Entry<String, JsonNode>> BY_INDEX =
            Comparator.comparingLong(e -> arrayIndex(e.getKey()));

    private JsonStringify() {}

    /** Appends the JSON text of {@code node} (Java {@code null} is written as {@code null}). */
    public static void write(JsonNode node, ByteBuf out) {
        int start = out.writerIndex();
        try {
            write(node, out, 0);
        } catch (RuntimeException | StackOverflowError e) {
            out.writerIndex(start);
            throw e;
        }
    }

    /**
     * Appends {@code node} as the value inside {@code depth} open arrays/objects (the depth limit
     * counts those); unlike {@link #write(JsonNode, ByteBuf)} leaves partial output on error.
     */
    static void write(JsonNode node, ByteBuf out, int depth) {
        if (node == null) {
            writeNull(out);
            return;
        }
        switch (node.getNodeType()) {
            case STRING -> JsonStringWriter.writeQuoted(node.stringValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.writeBytes(node.booleanValue() ? TRUE : FALSE);
            case OBJECT -> writeObject(node, out, depth + 1);
            case ARRAY -> writeArray(node, out, depth + 1);
            case BINARY -> JsonStringWriter.writeQuoted(Base64.getEncoder().encodeToString(node.binaryValue()), out);
            case POJO -> writePojo(((POJONode) node).getPojo(), out, depth);
            default -> writeNull(out); // NULL, MISSING
        }
    }

    private static void writeNumber(JsonNode node, ByteBuf out) {
        switch (node.numberType()) {
            case INT, LONG -> EcmaNumbers.write(node.longValue(), out);
            case BIG_INTEGER -> EcmaNumbers.write(node.bigIntegerValue(), out);
            case BIG_DECIMAL -> EcmaNumbers.write(node.decimalValue(), out);
            case FLOAT -> EcmaNumbers.write(EcmaNumbers.floatToDouble(node.floatValue()), out);
            default -> EcmaNumbers.write(node.doubleValue(), out);
        }
    }

    private static void writeArray(JsonNode node, ByteBuf out, int depth) {
        checkDepth(depth);
        out.writeByte('[');
        for (int i = 0, n = node.size(); i < n; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            write(node.get(i), out, depth);
        }
        out.writeByte(']');
    }

    private static void writeObject(JsonNode node, ByteBuf out, int depth) {
        checkDepth(depth);
        int indexKeys = 0;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (arrayIndex(e.getKey()) >= 0) {
                indexKeys++;
            }
        }
        out.writeByte('{');
        if (indexKeys == 0) {
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                first = writeMember(e, first, out, depth);
            }
        } else {
            List<Map.Entry<String, JsonNode>> idx = new ArrayList<>(indexKeys);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (arrayIndex(e.getKey()) >= 0) {
                    idx.add(e);
                }
            }
            idx.sort(BY_INDEX);
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : idx) {
                first = writeMember(e, first, out, depth);
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (arrayIndex(e.getKey()) < 0) {
                    first = writeMember(e, first, out, depth);
                }
            }
        }
        out.writeByte('}');
    }

    private static boolean writeMember(Map.Entry<String, JsonNode> e, boolean first, ByteBuf out, int depth) {
        JsonStringWriter.writeName(e.getKey(), first, out);
        write(e.getValue(), out, depth);
        return false;
    }

    /**
     * The array index denoted by {@code key} (canonical decimal, 0..2^32-2), or -1 when
     * {@code key} is not an array index and so keeps its insertion position.
     */
    static long arrayIndex(String key) {
        int n = key.length();
        if (n == 0 || n > 10) {
            return -1;
        }
        char c0 = key.charAt(0);
        if (c0 < '0' || c0 > '9' || (c0 == '0' && n > 1)) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 0xFFFF_FFFEL ? v : -1;
    }

    private static void writePojo(Object pojo, ByteBuf out, int depth) {
        if (pojo == null) {
            writeNull(out);
            return;
        }
        if (pojo instanceof JsonNode j) {
            checkDepth(depth + 1);
            write(j, out, depth + 1);
            return;
        }
        JsonNode tree;
        try {
            tree = JsonMapper.shared().valueToTree(pojo);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot convert " + pojo.getClass().getName() + " to JSON", e);
        }
        if (tree != null && tree.isPojo()) {
            throw new IllegalArgumentException("cannot convert " + pojo.getClass().getName() + " to a JSON tree");
        }
        write(tree, out, depth);
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH);
        }
    }

    private static void writeNull(ByteBuf out) {
        out.writeBytes(NULL);
    }
}
