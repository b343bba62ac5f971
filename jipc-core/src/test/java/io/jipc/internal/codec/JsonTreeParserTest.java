package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.internal.config.Defaults;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JsonTreeParser} against the reference it replaced (the mapper's own {@code readTree}) and against
 * node itself (the golden vectors: {@code JSON.stringify(JSON.parse(text))} byte for byte).
 */
@Timeout(60)
class JsonTreeParserTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();

    /** Each thread's reused cursor starts clean: after a failure, and when two parsers take turns on one thread. */
    @Test
    void reusedTextsStartCleanAcrossFailuresAndParsers() {
        JsonTreeParser one = new JsonTreeParser(MAPPER);
        JsonTreeParser two = new JsonTreeParser(MAPPER);
        byte[] good = "{\"a\":{\"b\":[1,{\"c\":2}]},\"d\":\"e\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"a\":{\"b\":[1,{\"c\":".getBytes(StandardCharsets.UTF_8);
        JsonNode ref = MAPPER.readTree(good);
        for (int i = 0; i < 4; i++) {
            JsonTreeParser p = i % 2 == 0 ? one : two;
            assertThatThrownBy(() -> p.parse(bad, 0, bad.length)).isInstanceOf(JsonTreeParser.JsonSyntaxException.class);
            assertThat(p.parse(good, 0, good.length)).isEqualTo(ref);
            JsonTreeParser.Text t = p.text(good, 0, good.length);
            assertThat(t.objectId()).isNull();
            assertThat(t.value(0)).isEqualTo(ref);
            JsonTreeParser.done(t);
        }
    }
    private static final JsonTreeParser PARSER = new JsonTreeParser(MAPPER);

    private static JsonNode parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return PARSER.parse(b, 0, b.length);
    }

    private static String stringify(JsonNode node) {
        ByteBuf buf = Unpooled.buffer();
        try {
            JsonStringify.write(node, buf);
            return new String(ByteBufUtil.getBytes(buf), StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void matchesNodeOnEveryGoldenVector() throws IOException {
        String[] lines;
        try (InputStream in = getClass().getResourceAsStream("/golden/stringify-golden.jsonl")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        List<String> failures = new ArrayList<>();
        for (String line : lines) {
            JsonNode pair = MAPPER.readTree(line);
            String input = pair.get(0).stringValue();
            String expected = pair.get(1).stringValue();
            String actual = stringify(parse(input));
            if (!actual.equals(expected)) {
                failures.add(input + " -> " + actual + " but node wrote " + expected);
            }
        }
        assertThat(lines.length).isGreaterThan(10_000);
        assertThat(failures.subList(0, Math.min(20, failures.size()))).as("%d differ", failures.size()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "1.5", "-1e400", "1e400", "123456789012345678", "1234567890123456789",
        "-9223372036854775808", "9223372036854775808", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "99999999999999999999999", "0.1e1", "1E-400", "\"a\\u00e9\\ud83d\\ude00\"", "\"é€😀\"", "[1,[2,[3]],{}]",
        "{\"a\":1,\"b\":{\"c\":[true,false,null]},\"a\":2}", " { } ", "[ ]", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""})
    void buildsTheSameTreeAsTheMappersReadTree(String text) {
        assertThat(parse(text)).isEqualTo(MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "1e+", "+1", "NaN",
        "Infinity", "tru", "nul", "'a'", "{a:1}", "\"\\x\"", "\"\\u12\"", "\"a", "[1 2]", "{\"a\" 1}", "1 2",
        "\"tab\there\"", "/*c*/1", "[1]]", "\u00a01", "\"\\u00zz\""})
    void refusesWhatJsonParseRefuses(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PARSER.parse(b, 0, b.length)).isInstanceOf(JsonTreeParser.JsonSyntaxException.class)
            .hasMessageMatching(".*(unexpected|unterminated|control character).*");
    }

    /** Every special byte at every position of the eight-byte scanning window is seen. */
    @Test
    void specialCharactersAnywhereInLongStrings() {
        String[] specials = {"\\\"", "\\\\", "\\n", "\\u0041", "é", "😀", "\u007f"};
        for (String special : specials) {
            for (int at = 0; at < 24; at++) {
                String text = "\"" + "a".repeat(at) + special + "b".repeat(24 - at) + "\"";
                assertThat(parse(text)).as(text).isEqualTo(MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8)));
            }
        }
        for (int at = 0; at < 24; at++) {
            for (char control : new char[] {0, 1, '\n', 0x1f}) {
                String text = "\"" + "a".repeat(at) + control + "b".repeat(24 - at) + "\"";
                assertThatThrownBy(() -> parse(text)).as(text).hasMessageContaining("control character");
            }
        }
    }

    @Test
    void acceptsLoneSurrogateEscapesInNamesLikeJsonParse() {
        JsonNode n = parse("{\"\\ud800\":\"\\udc00\"}");
        assertThat(n.propertyNames()).containsExactly("\ud800");
        assertThat(n.get("\ud800").stringValue()).isEqualTo("\udc00");
    }

    @Test
    void enforcesTheMappersNestingLimit() {
        int limit = Defaults.MAX_NESTING_DEPTH;
        String ok = "[".repeat(limit) + "]".repeat(limit);
        assertThat(parse(ok).isArray()).isTrue();
        String deep = "[".repeat(limit + 1) + "]".repeat(limit + 1);
        assertThatThrownBy(() -> parse(deep)).hasMessageContaining("nesting depth (" + (limit + 1) + ") exceeds the maximum allowed (" + limit + ")");
    }

    @Test
    void offsetsInMessagesAreRelativeToTheText() {
        byte[] b = "xxxx[1,}".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PARSER.parse(b, 4, 4)).hasMessageContaining("byte offset 3");
    }

    /** Random mutations of valid documents: accepted exactly when Jackson accepts them, and to the same tree. */
    @Test
    void agreesWithJacksonOnMutatedDocuments() {
        Random r = new Random(20261122);
        String[] seeds = {"{\"type\":\"msg\",\"data\":{\"seq\":12,\"pad\":\"xyz\",\"f\":1.25e3,\"a\":[1,true,null]}}",
            "[\"\\u0041\\n\",-0.5,{\"k\":{}}]", "{\"a\":\"é😀\",\"b\":-12345678901234567890}"};
        byte[] alphabet = "{}[]\",:0123456789-+.eEtrufalsn \\u/\t\nxé".getBytes(StandardCharsets.UTF_8);
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = seeds[i % seeds.length].getBytes(StandardCharsets.UTF_8);
            int edits = 1 + r.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(b.length);
                b[at] = alphabet[r.nextInt(alphabet.length)];
            }
            if (Utf8Validator.firstInvalid(b, 0, b.length) >= 0) {
                continue;
            }
            JsonNode expected;
            try {
                expected = MAPPER.readTree(b);
            } catch (JacksonException ex) {
                expected = null;
            }
            JsonNode actual;
            try {
                actual = PARSER.parse(b, 0, b.length);
            } catch (JsonTreeParser.JsonSyntaxException ex) {
                actual = null;
            }
            if (expected != null && expected.isMissingNode()) {
                expected = null; // Jackson: only whitespace
            }
            assertThat(actual).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(expected);
            compared++;
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    /** Strings are checked for well-formed UTF-8 as they are scanned, plain or escaped, names and values alike. */
    @Test
    void refusesIllFormedUtf8InStringsAndAcceptsWellFormed() {
        String[] bad = {"80", "c0af", "c1bf", "e080af", "eda080", "f08f8080", "f4908080", "f5", "ff", "e282", "c3", "f09f98"};
        for (String hex : bad) {
            byte[] seq = java.util.HexFormat.of().parseHex(hex);
            for (String frame : new String[] {"[\"%s\"]", "{\"%s\":1}", "[\"\\n%s\"]", "[\"%saaaaaaaaaaaaaaaa\"]"}) {
                for (int at = 0; at < 12; at++) {
                    String[] parts = frame.split("%s");
                    byte[] b = concat(parts[0].getBytes(StandardCharsets.UTF_8), "a".repeat(at).getBytes(StandardCharsets.UTF_8),
                        seq, parts[1].getBytes(StandardCharsets.UTF_8));
                    assertThatThrownBy(() -> PARSER.parse(b, 0, b.length)).as(hex + " in " + frame + " at " + at)
                        .isInstanceOf(JsonTreeParser.JsonSyntaxException.class);
                }
            }
        }
        for (String good : new String[] {"\"\u00e9\u20ac\ud83d\ude00\"", "{\"\u00e9\":\"x\\n\u20ac\"}", "[\"\u07ff\uffff\udbff\udfff\"]"}) {
            byte[] b = good.getBytes(StandardCharsets.UTF_8);
            assertThat(PARSER.parse(b, 0, b.length)).isEqualTo(MAPPER.readTree(b));
        }
    }

    /** Random bytes: whatever parses is well-formed UTF-8, as the decoder relies on. */
    @Test
    void anythingThatParsesIsWellFormedUtf8() {
        Random r = new Random(5);
        byte[] alphabet = {'"', '[', ']', ',', 'a', '\\', 'n', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, (byte) 0xAC,
            (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0xC0, (byte) 0xFF};
        int parsed = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[2 + r.nextInt(20)];
            b[0] = '"';
            for (int k = 1; k < b.length - 1; k++) {
                b[k] = alphabet[r.nextInt(alphabet.length)];
            }
            b[b.length - 1] = '"';
            boolean valid = Utf8Validator.firstInvalid(b, 0, b.length) < 0;
            JsonNode n;
            try {
                n = PARSER.parse(b, 0, b.length);
            } catch (JsonTreeParser.JsonSyntaxException e) {
                continue;
            }
            parsed++;
            assertThat(valid).as(java.util.HexFormat.of().formatHex(b)).isTrue();
            assertThat(n).isEqualTo(MAPPER.readTree(b));
        }
        assertThat(parsed).isGreaterThan(1000);
    }

    /** Thousands of names of every length up to past the cache's limit, alike at both ends: each comes back right. */
    @Test
    void nameCacheNeverMixesNamesUp() {
        List<String> names = new ArrayList<>();
        for (int length = 0; length <= 40; length++) {
            for (int v = 0; v < 60; v++) {
                char[] c = "p".repeat(length).toCharArray();
                if (length > 0) {
                    c[(v * 7) % length] = (char) ('a' + v % 26); // same prefix and suffix, one byte differs
                    c[length / 2] = (char) ('A' + v / 26);
                }
                names.add(new String(c));
            }
        }
        for (int pass = 0; pass < 3; pass++) {
            for (String name : names) {
                String text = "{\"" + name + "\":1}";
                byte[] padded = ("  " + text + "  ").getBytes(StandardCharsets.US_ASCII);
                JsonNode n = PARSER.parse(padded, 2, padded.length - 4); // names next to the array's end too
                assertThat(n.propertyNames()).as(name).containsExactly(name);
                JsonNode tail = PARSER.parse(text.getBytes(StandardCharsets.US_ASCII), 0, text.length());
                assertThat(tail.propertyNames()).as(name).containsExactly(name);
            }
        }
        byte[] end = "{\"ab\":1}".getBytes(StandardCharsets.US_ASCII); // a short name less than eight bytes from the end
        assertThat(PARSER.parse(end, 0, end.length).propertyNames()).containsExactly("ab");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Positions near the start (every one mod 8 and mod 32) and the end of a string of {@code len} bytes. */
    private static java.util.SortedSet<Integer> scanPositions(int len) {
        java.util.SortedSet<Integer> at = new java.util.TreeSet<>();
        for (int p = 0; p < Math.min(len, 72); p++) {
            at.add(p);
        }
        for (int p = len - 40; p < len; p++) {
            at.add(p);
        }
        at.add(len / 2);
        at.removeIf(p -> p < 0 || p >= len);
        return at;
    }

    private static byte[] stringText(int len, int at, byte[] insert) {
        byte[] base = ("\"" + "x".repeat(len) + "\"").getBytes(StandardCharsets.US_ASCII);
        return concat(java.util.Arrays.copyOfRange(base, 0, 1 + at), insert, java.util.Arrays.copyOfRange(base, 1 + at, base.length));
    }

    @Test
    void longStringsWithEscapesAndUtf8AtEveryScanPosition() {
        String[][] inserts = { // JSON text, the chars it stands for
            {"\\n", "\n"}, {"\\\"", "\""}, {"\\\\", "\\"}, {"\\/", "/"}, {"\\u00e9", "\u00e9"}, {"\\ud800", "\ud800"},
            {"\\udc00\\ud800", "\udc00\ud800"}, {"\u00e9", "\u00e9"}, {"\u20ac", "\u20ac"}, {"\ud83d\ude00", "\ud83d\ude00"},
            {"\u007f", "\u007f"}, {"\u00e9\\t\u4e2d", "\u00e9\t\u4e2d"}};
        for (int len : new int[] {0, 7, 8, 9, 31, 32, 33, 255, 256, 257, 16384}) {
            String base = "x".repeat(len);
            assertThat(parse("\"" + base + "\"").asString()).isEqualTo(base);
            for (int at : scanPositions(len + 1)) {
                for (String[] insert : inserts) {
                    byte[] text = stringText(len, at, insert[0].getBytes(StandardCharsets.UTF_8));
                    String expected = base.substring(0, at) + insert[1] + base.substring(at);
                    assertThat(PARSER.parse(text, 0, text.length).asString()).as("len=%d at=%d %s", len, at, insert[0])
                        .isEqualTo(expected);
                    // the same inside a frame, through the decoder
                    byte[] frame = concat("{\"type\":\"t\",\"data\":".getBytes(StandardCharsets.US_ASCII), text,
                        "}".getBytes(StandardCharsets.US_ASCII));
                    Object decoded = MessageDecoder.decode(frame, 0, frame.length, MAPPER);
                    assertThat(((WireMessage) decoded).data().asString()).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void longStringsWithIllFormedUtf8OrRawControlsAtEveryScanPosition() {
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xDC}};
        for (int len : new int[] {7, 8, 9, 31, 32, 33, 255, 256, 257, 16384}) {
            for (int at : scanPositions(len + 1)) {
                for (byte[] insert : bad) {
                    byte[] text = stringText(len, at, insert);
                    assertThatThrownBy(() -> PARSER.parse(text, 0, text.length)).as("len=%d at=%d", len, at)
                        .isInstanceOf(JsonTreeParser.JsonSyntaxException.class)
                        .hasMessageContaining("ill-formed UTF-8 at byte offset " + (1 + at));
                    Object decoded = MessageDecoder.decode(text, 0, text.length, MAPPER);
                    assertThat(((DecodeFailure) decoded).code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_UTF8);
                }
                for (byte control : new byte[] {0x01, 0x0C, 0x1F}) {
                    byte[] text = stringText(len, at, new byte[] {control});
                    assertThatThrownBy(() -> PARSER.parse(text, 0, text.length))
                        .isInstanceOf(JsonTreeParser.JsonSyntaxException.class)
                        .hasMessageContaining("raw control character").hasMessageContaining("byte offset " + (1 + at));
                }
                // after an escape, the rest of the string is scanned by the escape loop
                byte[] escaped = stringText(len, at, new byte[] {'\\', 'n', 0x01});
                assertThatThrownBy(() -> PARSER.parse(escaped, 0, escaped.length))
                    .hasMessageContaining("raw control character").hasMessageContaining("byte offset " + (3 + at));
                byte[] escapedBad = stringText(len, at, new byte[] {'\\', 'n', (byte) 0xC1, (byte) 0x81});
                assertThatThrownBy(() -> PARSER.parse(escapedBad, 0, escapedBad.length))
                    .hasMessageContaining("ill-formed UTF-8 at byte offset " + (3 + at));
            }
            // unterminated: the scan runs into the end of the text
            byte[] open = ("\"" + "x".repeat(len)).getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> PARSER.parse(open, 0, open.length)).hasMessageContaining("unterminated string");
            byte[] openEscaped = ("\"\\n" + "x".repeat(len)).getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> PARSER.parse(openEscaped, 0, openEscaped.length)).hasMessageContaining("unterminated string");
        }
    }
}
