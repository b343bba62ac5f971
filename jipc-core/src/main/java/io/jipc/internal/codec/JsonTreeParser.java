package io.jipc.internal.codec;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * <p>Bytes of 0x80 and above are only accepted inside strings, as well-formed UTF-8 (checked while the
 * string is scanned, by {@link Utf8Validator}'s rules), so text that parses is well-formed UTF-8 throughout;
 * a caller that must tell ill-formed UTF-8 from other errors checks it after a failure. Each string is
 * scanned once, eight bytes at a time while they are plain ASCII. Thread-safe (the only shared state is
 * the name cache; the cursor, {@link Text}, is one per thread, reused from text to text). Errors: {@link JsonSyntaxException} naming what was wrong and the byte offset.
 */
public final class JsonTreeParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
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
     * Shared by all threads without locks: a slot holds null or a complete, immutable {@link Name}, and a
     * lost race only means a miss.
     */
    private final Name[] names = new Name[NAME_SLOTS];
    private static final int NAME_SLOTS = 512;
    private static final int NAME_MAX = 32;
    /** Number kinds ({@link Text#numberKind}). */
    static final int INT = 0, LONG = 1, DOUBLE = 2, OTHER = 3;
    /** Each thread's {@link Text}, of the parser it last used (a one-element array, so the thread-local is set once). */
    private static final FastThreadLocal<Text[]> TEXTS = new FastThreadLocal<>() {
        @Override
        protected Text[] initialValue() {
            return new Text[1];
        }
    };

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

    /**
     * The parse of one JSON text: a cursor over {@code b[from, end)}; offsets in messages are relative to
     * {@code from}. Each thread has one per parser, reused by {@link #text} and {@link #parse}.
     */
    public final class Text {
        private byte[] b;
        private int from;
        private int end;
        private int pos;
        /** The {@code id} member of the object last parsed at depth 2 when it is a string, else null. */
        private String id;
        /** Where the integer part of the number last scanned ends. */
        private int numberIntEnd;
        /** The value of the number {@link #numberKind} last scanned, by its kind. */
        long integerValue;
        double doubleValue;

        private JsonTreeParser owner() {
            return JsonTreeParser.this;
        }

        /** Starts over on {@code b[from, end)}. */
        private Text reset(byte[] b, int from, int end) {
            this.b = b;
            this.from = from;
            this.end = end;
            this.pos = from;
            this.id = null;
            return this;
        }

        /** Forgets the text, so the bytes are not kept alive between texts. */
        private void release() {
            this.b = null;
            this.id = null;
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

        /** Skips whitespace; @return the array index of the next byte that is not whitespace ({@code end} when none) */
        public int next() {
            more();
            return pos;
        }

        /**
         * @return the array index of the cursor; after a failure, where the scan stopped. A parse never moves past a
         *         control character other than tab, LF and CR, so there is none before that index
         */
        public int position() {
            return pos;
        }

        /** Skips whitespace; @return whether the next bytes are all of {@code bytes}, before the end (not consumed) */
        public boolean followedBy(byte[] bytes) {
            more();
            if (end - pos < bytes.length) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if (b[pos + i] != bytes[i]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Skips whitespace; when the next bytes are exactly {@code quotedName}, a property name in double quotes
         * (plain ASCII, no escapes, within the name length limit), consumes them.
         * @return whether it did: the same name {@link #name()} would give, without making or looking up a String
         */
        public boolean takeName(byte[] quotedName) {
            int n = quotedName.length;
            if (!more() || end - pos < n || n - 2 > maxNameLength) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (b[pos + i] != quotedName[i]) {
                    return false;
                }
            }
            pos += n;
            return true;
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
                case '"': return nodes.stringNode(string(maxStringLength, false));
                case 't': return literal("true", nodes.booleanNode(true));
                case 'f': return literal("false", nodes.booleanNode(false));
                case 'n': return literal("null", nodes.nullNode());
                default: return number();
            }
        }

        /** @return a property name at the cursor (after whitespace); short plain ones come from the name cache */
        public String name() {
            if (!more() || b[pos] != '"') {
                throw unexpected("a property name in double quotes");
            }
            return string(maxNameLength, true);
        }

        /**
         * @return the string at the cursor if it is one (short ones come from the cache of recent names), or
         *         null with the cursor unmoved when the next value is not a string
         */
        public String stringOrNull() {
            if (!more() || b[pos] != '"') {
                return null;
            }
            return string(maxStringLength, true);
        }

        /**
         * @return the {@code id} member of the object last parsed at nesting depth 2 (an object that is a member
         *         of the root, like a message's {@code data}) when that member is a string (the last one when
         *         the name repeats, as in JavaScript), else null; so the caller need not look it up again
         */
        public String objectId() {
            return id;
        }

        // What RecordTextReader reads a payload straight into a record with: the same grammar and limits, no nodes.

        /** Skips whitespace; @return the next byte, or -1 at the end */
        int peek() {
            return more() ? b[pos] : -1;
        }

        /** Sets what {@link #objectId} returns: the {@code id} string of the object at depth 2 read without a tree. */
        void objectId(String id) {
            this.id = id;
        }

        /** Moves the cursor back to {@code p}, where this text was before. */
        void rewind(int p) {
            pos = p;
        }

        /** @return the value that starts at {@code p} (where the cursor was before), at {@code depth}; the cursor stays */
        JsonNode valueAt(int p, int depth) {
            int now = pos;
            pos = p;
            JsonNode v = value(depth);
            pos = now;
            return v;
        }

        /** Consumes the '{' at the cursor of an object at nesting {@code depth}; @return false, unmoved, when too deep */
        boolean enterObject(int depth) {
            if (depth > maxDepth) {
                return false;
            }
            pos++;
            return true;
        }

        /** @return the string at the cursor (on its opening quote), as {@link #value} holds it */
        String stringValue() {
            return string(maxStringLength, false);
        }

        /** Consumes {@code word} ({@code true}, {@code false} or {@code null}) at the cursor, or fails. */
        void literal(String word) {
            literal(word, null);
        }

        /**
         * Scans the number at the cursor. @return the kind of node {@link #value} would make of it: {@link #INT} or
         * {@link #LONG} (the value in {@link #integerValue}), {@link #DOUBLE} ({@link #doubleValue}), or
         * {@link #OTHER} for the big ones (BigInteger or BigDecimal nodes)
         */
        int numberKind() {
            int start = pos;
            boolean negative = b[pos] == '-';
            if (scanNumber()) {
                if (bigDecimals) {
                    return OTHER;
                }
                doubleValue = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
                return DOUBLE;
            }
            int first = negative ? start + 1 : start;
            int digits = numberIntEnd - first;
            if (digits > 19 || bigIntegers) {
                return OTHER; // 20 digits are 10^19 or more: a BigInteger node
            }
            if (digits == 19) {
                return wideInteger(first, negative); // a long node when it fits, else a BigInteger one
            }
            long v = decimal(first, numberIntEnd, negative);
            integerValue = v;
            return v == (int) v && !longs ? INT : LONG;
        }

        /** The 19 digits from {@code first}: @return LONG (in integerValue) when they fit in a long, else OTHER */
        private int wideInteger(int first, boolean negative) {
            long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
            long v = 0; // accumulated negatively, so Long.MIN_VALUE fits
            for (int i = first; i < numberIntEnd; i++) {
                int d = b[i] - '0';
                if (v < limit / 10 || v * 10 < limit + d) {
                    return OTHER;
                }
                v = v * 10 - d;
            }
            integerValue = negative ? v : -v;
            return LONG;
        }

        private ObjectNode object(int depth) {
            checkDepth(depth);
            pos++;
            if (depth == 2) {
                id = null;
            }
            ObjectMembers members = new ObjectMembers(); // a LinkedHashMap's behaviour in less memory
            if (!take('}')) {
                do {
                    String name = name();
                    expect(':');
                    JsonNode v = value(depth);
                    members.put(name, v);
                    if (depth == 2 && name.length() == 2 && name.equals("id")) {
                        id = v.isString() ? v.asString() : null;
                    }
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

        /**
         * The string at the cursor (on its opening quote), scanned once: eight bytes at a time while they are
         * plain ASCII, multi-byte sequences validated as they come. A plain ASCII string of at most
         * {@link #NAME_MAX} bytes comes from the name cache when {@code cached}.
         */
        private String string(int maxLength, boolean cached) {
            int start = ++pos;
            int p = start;
            boolean ascii = true;
            while (true) {
                p = PlainBytes.skip(b, p, end); // plain ASCII: eight bytes per step, 32 in a long run
                if (p >= end) {
                    throw unterminated(start);
                }
                byte c = b[p];
                if (c == '"') {
                    pos = p + 1;
                    int length = p - start;
                    if (ascii) {
                        if (length > maxLength) {
                            throw tooLong(length, maxLength);
                        }
                        return cached && length <= NAME_MAX ? cachedName(b, start, length)
                            : new String(b, start, length, StandardCharsets.ISO_8859_1);
                    }
                    return checkLength(new String(b, start, length, StandardCharsets.UTF_8), maxLength);
                }
                if (c >= 0) {
                    if (c == '\\') {
                        pos = p;
                        return checkLength(escaped(start), maxLength);
                    }
                    pos = p;
                    throw rawControl(); // below 0x20: the only other ASCII byte skip stops at
                } else {
                    p += sequence(p, c);
                    ascii = false;
                }
            }
        }

        /** @return the length of the well-formed UTF-8 sequence led by {@code c} at {@code p}; fails if ill-formed */
        private int sequence(int p, byte c) {
            int n = Utf8Validator.sequenceLength(b, p, end, c & 0xFF);
            if (n == 0) {
                pos = p;
                throw error("ill-formed UTF-8 at byte offset " + (p - from));
            }
            return n;
        }

        /** The rest of a string holding escapes; the cursor is on the first backslash, {@code start} after the quote. */
        private String escaped(int start) {
            StringBuilder sb = new StringBuilder(pos - start + 16);
            sb.append(new String(b, start, pos - start, StandardCharsets.UTF_8));
            while (true) {
                int run = pos;
                while (true) {
                    pos = PlainBytes.skip(b, pos, end);
                    if (pos >= end || b[pos] == '"' || b[pos] == '\\') {
                        break;
                    }
                    byte c = b[pos];
                    if (c >= 0) {
                        throw rawControl();
                    }
                    pos += sequence(pos, c);
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
            return scanNumber() ? fraction(start, pos - start) : integer(start, numberIntEnd, negative);
        }

        /**
         * Scans the number at the cursor, as {@code JSON.parse} reads it, to its end (recorded in {@code numberIntEnd}
         * where its integer part ends). @return whether it has a fraction or an exponent
         */
        private boolean scanNumber() {
            int start = pos;
            if (b[pos] == '-') {
                pos++;
            }
            if (pos < end && b[pos] == '0') {
                pos++;
            } else if (pos < end && b[pos] >= '1' && b[pos] <= '9') {
                digits();
            } else {
                throw unexpected(pos > start ? "a digit after '-'" : "a JSON value");
            }
            numberIntEnd = pos;
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
            return fraction;
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
                long v = decimal(first, intEnd, negative);
                return v == (int) v && !longs ? nodes.numberNode((int) v) : nodes.numberNode(v);
            }
            BigInteger big = new BigInteger(new String(b, start, intEnd - start, StandardCharsets.ISO_8859_1));
            if (!bigIntegers && big.bitLength() < 64) {
                return nodes.numberNode(big.longValue());
            }
            return nodes.numberNode(big);
        }

        /** @return the value of the at most 18 decimal digits {@code b[first, intEnd)}, negated when {@code negative} */
        private long decimal(int first, int intEnd, boolean negative) {
            long v = 0;
            for (int i = first; i < intEnd; i++) {
                v = v * 10 + (b[i] - '0');
            }
            return negative ? -v : v;
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
                throw tooLong(s.length(), max);
            }
            return s;
        }

        private JsonSyntaxException tooLong(int length, int max) {
            return error("string of " + length + " characters is longer than the limit of " + max);
        }

        /** The string whose content starts at {@code start} has no closing quote. */
        private JsonSyntaxException unterminated(int start) {
            pos = end; // every byte up to the end was scanned as string content
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

    /**
     * The String for the plain ASCII bytes {@code b[start, start + length)} ({@code length <= NAME_MAX}) from the
     * cache of recent names, cached now if it was not there. Names are compared as up to four little-endian
     * words that together cover every byte (the last one overlapping the one before when the length is not a
     * multiple of eight), so a hit costs a few loads and compares.
     */
    private String cachedName(byte[] b, int start, int length) {
        long w0;
        long w1 = 0;
        long w2 = 0;
        long w3 = 0;
        if (length >= 8) {
            w0 = word(b, start);
            if (length > 8) {
                w1 = word(b, start + Math.min(8, length - 8));
                if (length > 16) {
                    w2 = word(b, start + Math.min(16, length - 8));
                    if (length > 24) {
                        w3 = word(b, start + length - 8);
                    }
                }
            }
        } else if (start + 8 <= b.length) {
            w0 = word(b, start) & ((1L << (length << 3)) - 1); // the first bytes are the low ones
        } else {
            w0 = 0;
            for (int i = start + length - 1; i >= start; i--) {
                w0 = w0 << 8 | b[i]; // ASCII: never negative
            }
        }
        long h = (w0 ^ Long.rotateLeft(w1, 16) ^ Long.rotateLeft(w2, 32) ^ Long.rotateLeft(w3, 48) ^ length) * GOLDEN;
        int slot = (int) (h >>> 40) & (NAME_SLOTS - 1);
        Name known = names[slot];
        if (known != null && known.length == length && known.w0 == w0 && known.w1 == w1 && known.w2 == w2
            && known.w3 == w3) {
            return known.string;
        }
        Name name = new Name(new String(b, start, length, StandardCharsets.ISO_8859_1), w0, w1, w2, w3);
        names[slot] = name;
        return name.string;
    }

    private static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** A cached name: its String and the words it is compared by; immutable, so safely shared. */
    private static final class Name {
        final String string;
        final int length;
        final long w0;
        final long w1;
        final long w2;
        final long w3;

        Name(String string, long w0, long w1, long w2, long w3) {
            this.string = string;
            this.length = string.length();
            this.w0 = w0;
            this.w1 = w1;
            this.w2 = w2;
            this.w3 = w3;
        }
    }

    /**
     * @return a parse of {@code b[offset, offset + length)} positioned at its start: the calling thread's
     *         {@link Text} for this parser, valid until the thread's next {@code text} or {@link #parse} call;
     *         the caller calls {@link #done} when finished with it (also after a failure)
     */
    public Text text(byte[] b, int offset, int length) {
        Text[] mine = TEXTS.get();
        Text t = mine[0];
        if (t == null || t.owner() != this) {
            t = new Text();
            mine[0] = t;
        }
        return t.reset(b, offset, offset + length);
    }

    /** Lets go of the bytes {@code t} (from {@link #text}) was reading, so the thread's Text does not keep them alive. */
    public static void done(Text t) {
        t.release();
    }

    /** Parses one whole JSON text (whitespace around it allowed). */
    public JsonNode parse(byte[] b, int offset, int length) {
        Text t = text(b, offset, length);
        try {
            JsonNode v = t.value(0);
            t.expectEnd();
            return v;
        } finally {
            done(t);
        }
    }

    private static String hex2(byte c) {
        String h = Integer.toHexString(c & 0xFF).toUpperCase(java.util.Locale.ROOT);
        return h.length() == 1 ? "0" + h : h;
    }
}
