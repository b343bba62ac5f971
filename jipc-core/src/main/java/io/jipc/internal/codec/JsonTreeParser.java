package io.jipc.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses JSON text held in a byte array straight into a Jackson tree, with the grammar of ECMAScript
 * {@code JSON.parse} (RFC 8259, nothing lenient: no comments, no trailing commas, no leading zeros,
 * whitespace only space, tab, CR and LF, no raw control characters in strings; escapes may denote
 * lone surrogates, in property names too). Duplicate names keep their first position and their last
 * value, as a JavaScript object does.
 *
 * <p>The tree has the node types the mapper's own {@code readTree} would give (int, long and
 * BigInteger nodes by magnitude, double nodes for fractions and exponents, or BigDecimal / BigInteger
 * nodes when the mapper enables {@code USE_BIG_DECIMAL_FOR_FLOATS} / {@code USE_BIG_INTEGER_FOR_INTS});
 * the mapper's {@link StreamReadConstraints} (nesting depth, number, string and name lengths) apply.
 * Unlike going through a Jackson parser, nothing is set up per call, and strings without escapes are
 * one copy of their bytes.
 *
 * <p>The input must already be well-formed UTF-8 ({@link Utf8Validator}); bytes of 0x80 and above are
 * only accepted inside strings. Immutable and thread-safe. Errors: {@link JsonSyntaxException} naming
 * what was wrong and the byte offset.
 */
public final class JsonTreeParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private final JsonNodeFactory nodes;
    private final boolean bigDecimals;
    private final boolean bigIntegers;
    private final boolean longs;
    private final int maxDepth;
    private final int maxNumberLength;
    private final int maxStringLength;
    private final int maxNameLength;
    /**
     * Recently seen short names (and event types), so the same few keys do not cost a new String per frame.
     * Shared by all threads without locks: a slot holds null or a complete String, and a lost race only
     * means a miss.
     */
    private final String[] names = new String[NAME_SLOTS];
    private static final int NAME_SLOTS = 512;
    private static final int NAME_MAX = 32;

    /** Takes node types, features and limits from {@code mapper}. */
    public JsonTreeParser(JsonMapper mapper) {
        this.nodes = mapper.getNodeFactory();
        this.bigDecimals = mapper.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.bigIntegers = mapper.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
        this.longs = mapper.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS);
        StreamReadConstraints limits = mapper.tokenStreamFactory().streamReadConstraints();
        this.maxDepth = limits.getMaxNestingDepth();
        this.maxNumberLength = limits.getMaxNumberLength();
        this.maxStringLength = limits.getMaxStringLength();
        this.maxNameLength = limits.getMaxNameLength();
    }

    /** Text that {@code JSON.parse} would refuse; the message says what and at which byte offset. */
    public static final class JsonSyntaxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JsonSyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /** The parse of one JSON text: a cursor over {@code b[from, end)}; offsets in messages are relative to {@code from}. */
    public final class Text {
        private final byte[] b;
        private final int from;
        private final int end;
        private int pos;

        Text(byte[] b, int from, int end) {
            this.b = b;
            this.from = from;
            this.end = end;
            this.pos = from;
        }

        /** Skips whitespace; @return whether anything but whitespace is left */
        public boolean more() {
            while (pos < end) {
                byte c = b[pos];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return true;
                }
                pos++;
            }
            return false;
        }

        /** @return whether the next significant byte is {@code c} (consumed when it is) */
        public boolean take(char c) {
            if (more() && b[pos] == c) {
                pos++;
                return true;
            }
            return false;
        }

        /** Consumes {@code c} or fails. */
        public void expect(char c) {
            if (!take(c)) {
                throw unexpected("'" + c + "'");
            }
        }

        /** Fails unless only whitespace is left. */
        public void expectEnd() {
            if (more()) {
                throw unexpected("the end of the text after the JSON value");
            }
        }

        /** @return the value at the cursor; {@code depth} is the nesting of the container holding it */
        public JsonNode value(int depth) {
            if (!more()) {
                throw unexpected("a JSON value");
            }
            switch (b[pos]) {
                case '{': return object(depth + 1);
                case '[': return array(depth + 1);
                case '"': return nodes.stringNode(string(maxStringLength));
                case 't': return literal("true", nodes.booleanNode(true));
                case 'f': return literal("false", nodes.booleanNode(false));
                case 'n': return literal("null", nodes.nullNode());
                default: return number();
            }
        }

        /** @return a property name at the cursor (after whitespace) */
        public String name() {
            if (!more() || b[pos] != '"') {
                throw unexpected("a property name in double quotes");
            }
            String known = known();
            return known != null ? known : string(maxNameLength);
        }

        /**
         * @return the string at the cursor if it is one (short ones come from the cache of recent names), or
         *         null with the cursor unmoved when the next value is not a string
         */
        public String stringOrNull() {
            if (!more() || b[pos] != '"') {
                return null;
            }
            String known = known();
            return known != null ? known : string(maxStringLength);
        }

        /** A short plain ASCII string at the cursor from the name cache (cached now if new), or null. */
        private String known() {
            int start = pos + 1;
            int limit = Math.min(end, start + NAME_MAX);
            int hash = 0;
            int i = start;
            while (i < limit) {
                byte c = b[i];
                if (c == '"') {
                    break;
                }
                if (c == '\\' || c < 0x20) { // escapes, controls and non-ASCII (negative) take the full path
                    return null;
                }
                hash = 31 * hash + c;
                i++;
            }
            if (i >= limit) {
                return null;
            }
            int length = i - start;
            int slot = (hash ^ (hash >>> 9)) & (NAME_SLOTS - 1);
            String cached = names[slot];
            if (cached == null || !sameAscii(cached, b, start, length)) {
                cached = new String(b, start, length, StandardCharsets.ISO_8859_1);
                names[slot] = cached;
            }
            pos = i + 1;
            return cached;
        }

        private ObjectNode object(int depth) {
            checkDepth(depth);
            pos++;
            LinkedHashMap<String, JsonNode> members = new LinkedHashMap<>(4); // payload objects are mostly small
            if (!take('}')) {
                do {
                    String name = name();
                    expect(':');
                    members.put(name, value(depth));
                } while (take(','));
                expect('}');
            }
            return new ObjectNode(nodes, members);
        }

        private ArrayNode array(int depth) {
            checkDepth(depth);
            pos++;
            ArrayList<JsonNode> items = new ArrayList<>();
            if (!take(']')) {
                do {
                    items.add(value(depth));
                } while (take(','));
                expect(']');
            }
            return new ArrayNode(nodes, items);
        }

        private JsonNode literal(String word, JsonNode node) {
            int n = word.length();
            for (int i = 0; i < n; i++) {
                if (pos + i >= end || b[pos + i] != word.charAt(i)) {
                    pos += i;
                    throw unexpected("'" + word + "'");
                }
            }
            pos += n;
            return node;
        }

        private String string(int maxLength) {
            int start = ++pos;
            boolean ascii = true;
            while (true) {
                while (pos + 8 <= end && plain(b, pos)) {
                    pos += 8; // eight ASCII bytes with no quote, backslash or control character
                }
                if (pos >= end) {
                    throw unterminated(start);
                }
                byte c = b[pos];
                if (c == '"') {
                    String s = new String(b, start, pos - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
                    pos++;
                    return checkLength(s, maxLength);
                }
                if (c == '\\') {
                    return checkLength(escaped(start), maxLength);
                }
                if (c >= 0 && c < 0x20) {
                    throw rawControl();
                }
                ascii &= c >= 0;
                pos++;
            }
        }

        /** The rest of a string holding escapes; the cursor is on the first backslash, {@code start} after the quote. */
        private String escaped(int start) {
            StringBuilder sb = new StringBuilder(pos - start + 16);
            sb.append(new String(b, start, pos - start, StandardCharsets.UTF_8));
            while (true) {
                int run = pos;
                while (pos < end && b[pos] != '"' && b[pos] != '\\') {
                    if (b[pos] >= 0 && b[pos] < 0x20) {
                        throw rawControl();
                    }
                    pos++;
                }
                if (pos >= end) {
                    throw unterminated(start);
                }
                if (pos > run) {
                    sb.append(new String(b, run, pos - run, StandardCharsets.UTF_8)); // runs end at ASCII: whole sequences
                }
                if (b[pos] == '"') {
                    pos++;
                    return sb.toString();
                }
                pos++;
                if (pos >= end) {
                    throw error("unterminated escape at byte offset " + (pos - 1 - from));
                }
                byte e = b[pos++];
                switch (e) {
                    case '"', '\\', '/' -> sb.append((char) e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> sb.append(hex4());
                    default -> {
                        pos--;
                        throw unexpected("an escape (one of \" \\ / b f n r t u)");
                    }
                }
            }
        }

        private char hex4() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = pos < end ? Character.digit(b[pos], 16) : -1;
                if (d < 0) {
                    throw unexpected("four hex digits after \\u");
                }
                v = (v << 4) | d;
                pos++;
            }
            return (char) v;
        }

        private JsonNode number() {
            int start = pos;
            boolean negative = b[pos] == '-';
            if (negative) {
                pos++;
            }
            if (pos < end && b[pos] == '0') {
                pos++;
            } else if (pos < end && b[pos] >= '1' && b[pos] <= '9') {
                digits();
            } else {
                throw unexpected(negative ? "a digit after '-'" : "a JSON value");
            }
            int intEnd = pos;
            boolean fraction = false;
            if (pos < end && b[pos] == '.') {
                pos++;
                requireDigit("a digit after the decimal point");
                fraction = true;
            }
            if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
                pos++;
                if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                    pos++;
                }
                requireDigit("a digit in the exponent");
                fraction = true;
            }
            int length = pos - start;
            if (length > maxNumberLength) {
                throw error("number of " + length + " characters at byte offset " + (start - from)
                    + " is longer than the limit of " + maxNumberLength);
            }
            return fraction ? fraction(start, length) : integer(start, intEnd, negative);
        }

        private void digits() {
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
        }

        private void requireDigit(String what) {
            if (pos >= end || b[pos] < '0' || b[pos] > '9') {
                throw unexpected(what);
            }
            digits();
        }

        private JsonNode integer(int start, int intEnd, boolean negative) {
            int first = negative ? start + 1 : start;
            if (intEnd - first <= 18 && !bigIntegers) {
                long v = 0;
                for (int i = first; i < intEnd; i++) {
                    v = v * 10 + (b[i] - '0');
                }
                v = negative ? -v : v;
                return v == (int) v && !longs ? nodes.numberNode((int) v) : nodes.numberNode(v);
            }
            BigInteger big = new BigInteger(new String(b, start, intEnd - start, StandardCharsets.ISO_8859_1));
            if (!bigIntegers && big.bitLength() < 64) {
                return nodes.numberNode(big.longValue());
            }
            return nodes.numberNode(big);
        }

        private JsonNode fraction(int start, int length) {
            String text = new String(b, start, length, StandardCharsets.ISO_8859_1);
            return bigDecimals ? nodes.numberNode(new BigDecimal(text)) : nodes.numberNode(Double.parseDouble(text));
        }

        private void checkDepth(int depth) {
            if (depth > maxDepth) {
                throw error("nesting depth (" + depth + ") exceeds the maximum allowed (" + maxDepth
                    + ") at byte offset " + (pos - from));
            }
        }

        private String checkLength(String s, int max) {
            if (s.length() > max) {
                throw error("string of " + s.length() + " characters is longer than the limit of " + max);
            }
            return s;
        }

        /** The string whose content starts at {@code start} has no closing quote. */
        private JsonSyntaxException unterminated(int start) {
            return error("unterminated string starting at byte offset " + (start - 1 - from));
        }

        /** The byte at the cursor, inside a string, is a control character. */
        private JsonSyntaxException rawControl() {
            return error("raw control character U+00" + hex2(b[pos]) + " in a string at byte offset " + (pos - from));
        }

        private JsonSyntaxException unexpected(String expected) {
            if (pos >= end) {
                return error("unexpected end of input, expected " + expected);
            }
            int c = b[pos] & 0xFF;
            String seen = c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : "byte 0x" + hex2((byte) c);
            return error("unexpected " + seen + " at byte offset " + (pos - from) + ", expected " + expected);
        }

        private JsonSyntaxException error(String message) {
            return new JsonSyntaxException(message);
        }
    }

    private static boolean sameAscii(String s, byte[] b, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != b[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** @return a parse of {@code b[offset, offset + length)} positioned at its start */
    public Text text(byte[] b, int offset, int length) {
        return new Text(b, offset, offset + length);
    }

    /** Parses one whole JSON text (whitespace around it allowed). */
    public JsonNode parse(byte[] b, int offset, int length) {
        Text t = text(b, offset, length);
        JsonNode v = t.value(0);
        t.expectEnd();
        return v;
    }

    /** @return whether {@code b[i, i + 8)} are all ASCII and none is {@code "}, {@code \\} or below 0x20 */
    private static boolean plain(byte[] b, int i) {
        long x = (long) LONGS.get(b, i);
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        long special = x
            | ((quote - ONES) & ~quote)
            | ((backslash - ONES) & ~backslash)
            | ((x - 0x2020202020202020L) & ~x);
        return (special & HIGH_BITS) == 0;
    }

    private static String hex2(byte c) {
        String h = Integer.toHexString(c & 0xFF).toUpperCase(java.util.Locale.ROOT);
        return h.length() == 1 ? "0" + h : h;
    }
}
