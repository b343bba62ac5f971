package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JsonStringWriterTest {

    /** The bytes written into an unpooled heap buffer, checked to equal those written into other kinds of buffer. */
    private static byte[] quoted(CharSequence s) {
        byte[] heap = quoted(s, Unpooled.buffer(1), 0);
        assertThat((long) heap.length).isEqualTo(JsonStringWriter.quotedLength(s));
        assertThat(quoted(s, Unpooled.directBuffer(1), 0)).isEqualTo(heap);
        // pooled heap memory: an array offset, and content already before the string
        assertThat(quoted(s, PooledByteBufAllocator.DEFAULT.heapBuffer(3).writeBytes(new byte[] {1, 2, 3}), 3))
            .isEqualTo(heap);
        return heap;
    }

    private static byte[] quoted(CharSequence s, ByteBuf buf, int skip) {
        try {
            JsonStringWriter.writeQuoted(s, buf);
            return ByteBufUtil.getBytes(buf, skip, buf.readableBytes() - skip);
        } finally {
            buf.release();
        }
    }

    private static void check(String input, String expectedJson) {
        assertThat(new String(quoted(input), StandardCharsets.UTF_8)).isEqualTo(expectedJson);
        assertThat(quoted(input)).isEqualTo(expectedJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Straightforward reference: escape per ECMA-262 QuoteJSONString, then UTF-8 encode. */
    private static byte[] reference(CharSequence s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pair) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shortEscapesAndQuotes() {
        check("", "\"\"");
        check("plain ascii", "\"plain ascii\"");
        check("\b\f\n\r\t\"\\", "\"\\b\\f\\n\\r\\t\\\"\\\\\"");
        check("a/b\u007f", "\"a/b\u007f\"");
    }

    @Test
    void everyC0ControlUsesLowercaseEscape() {
        for (char c = 0; c < 0x20; c++) {
            String expected = switch (c) {
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\u%04x", (int) c);
            };
            check("x" + c + "y", "\"x" + expected + "y\"");
        }
        check("\u001f\u001a\u000b", "\"\\u001f\\u001a\\u000b\"");
    }

    @Test
    void nonAsciiIsRawUtf8() {
        check("é", "\"é\"");
        check("\u2028\u2029", "\"\u2028\u2029\"");
        check("\u0080\u07ff\u0800\uffff\ufeff", "\"\u0080\u07ff\u0800\uffff\ufeff\"");
        assertThat(quoted("\u2028")).containsExactly(0x22, 0xE2 - 256, 0x80 - 256, 0xA8 - 256, 0x22);
        check("😀", "\"😀\"");
        assertThat(quoted("\ud83d\ude00")).containsExactly(0x22, 0xF0 - 256, 0x9F - 256, 0x98 - 256, 0x80 - 256, 0x22);
        check("\udbff\udfff", "\"\udbff\udfff\"");
        check("\ud800\udc00", "\"\ud800\udc00\"");
    }

    @Test
    void loneSurrogatesAreEscaped() {
        check("\ud800", "\"\\ud800\"");
        check("\udfff", "\"\\udfff\"");
        check("a\ud83db", "\"a\\ud83db\"");
        check("\ude00\ud83d", "\"\\ude00\\ud83d\"");
        check("\ud83d\ud83d\ude00", "\"\\ud83d😀\"");
        check("\ud83d\ude00\ude00", "\"😀\\ude00\"");
        check("x\ud83d", "\"x\\ud83d\"");
        check("\ud800\u0000\udc00", "\"\\ud800\\u0000\\udc00\"");
    }

    @Test
    void appendsToExistingContentAndAcceptsAnyCharSequence() {
        ByteBuf buf = Unpooled.directBuffer(4);
        try {
            buf.writeBytes(new byte[] {'x', 'y'});
            JsonStringWriter.writeQuoted(new StringBuilder("a\"é\ud800"), buf);
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("xy\"a\\\"é\\ud800\"");
        } finally {
            buf.release();
        }
    }

    @Test
    void memberNamesAreQuotedBetweenCommaAndColon() {
        for (String name : new String[] {"", "a", "seq", "with \"quote\"", "tab\t", "\u00e9t\u00e9", "\ud83d\ude00", "\ud800",
            "n".repeat(JsonStringWriter.CHUNK - 1), "n".repeat(JsonStringWriter.CHUNK), "x".repeat(300) + "\n"}) {
            String quoted = new String(reference(name), StandardCharsets.UTF_8);
            for (ByteBuf buf : new ByteBuf[] {Unpooled.buffer(1), Unpooled.directBuffer(1),
                PooledByteBufAllocator.DEFAULT.heapBuffer(1)}) {
                try {
                    buf.writeByte('{');
                    JsonStringWriter.writeName(name, true, buf);
                    buf.writeByte('1');
                    JsonStringWriter.writeName(name, false, buf);
                    buf.writeByte('2');
                    assertThat(buf.toString(StandardCharsets.UTF_8)).as("%s in %s", name, buf)
                        .isEqualTo("{" + quoted + ":1," + quoted + ":2");
                } finally {
                    buf.release();
                }
            }
        }
    }

    @Test
    void plainAsciiCheckFlagsEveryByteThatIsNotWrittenAsItself() {
        for (int n = 0; n <= 20; n++) {
            byte[] b = new byte[n];
            java.util.Arrays.fill(b, (byte) 'a');
            assertThat((PlainBytes.skip(b, 0, n) == n)).isTrue();
            for (int at = 0; at < n; at++) {
                for (int v = 0; v < 256; v++) {
                    b[at] = (byte) v;
                    boolean plain = v >= 0x20 && v < 0x80 && v != '"' && v != '\\';
                    assertThat((PlainBytes.skip(b, 0, n) == n)).as("n=%d at=%d byte=%x", n, at, v).isEqualTo(plain);
                    // every other byte special too: flags must not be lost between neighbours
                    b[(at + 1) % n] = (byte) 0x1F;
                    assertThat((PlainBytes.skip(b, 0, n) == n)).isFalse();
                    b[(at + 1) % n] = 'a';
                }
                b[at] = 'a';
            }
        }
    }

    @Test
    void longStrings() {
        String ascii = "abcdefghij".repeat(10_000);
        assertThat(quoted(ascii)).isEqualTo(reference(ascii));
        String mixed = ("abc\u00e9\n\ud83d\ude00\ud800" + "z".repeat(50)).repeat(2_000);
        assertThat(quoted(mixed)).isEqualTo(reference(mixed));
    }

    @Test
    void randomStringsMatchReference() {
        SplittableRandom rnd = new SplittableRandom(42);
        char[] specials = {'"', '\\', '/', '\u2028', '\u2029', '\u007f', '\ufffd', '\ud800', '\udc00'};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int i = 0; i < len; i++) {
                switch (rnd.nextInt(7)) {
                    case 0 -> sb.append((char) rnd.nextInt(0x20, 0x7f));
                    case 1 -> sb.append((char) rnd.nextInt(0x20));
                    case 2 -> sb.append((char) rnd.nextInt(0x80, 0x800));
                    case 3 -> sb.append((char) rnd.nextInt(0x800, 0x10000));
                    case 4 -> sb.append((char) rnd.nextInt(0xd800, 0xe000));
                    case 5 -> sb.appendCodePoint(rnd.nextInt(0x10000, 0x110000));
                    default -> sb.append(specials[rnd.nextInt(specials.length)]);
                }
            }
            String s = sb.toString();
            assertThat(quoted(s)).as("input %s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(reference(s));
        }
    }

    /** Positions around the bulk path's word, step and chunk boundaries in a string of {@code len} chars. */
    private static java.util.SortedSet<Integer> bulkPositions(int len) {
        java.util.SortedSet<Integer> at = new java.util.TreeSet<>();
        for (int p = 0; p < Math.min(len, 72); p++) {
            at.add(p); // every position mod 8 and mod 32 near the start
        }
        for (int c = JsonStringWriter.CHUNK; c < len + 16; c += JsonStringWriter.CHUNK) {
            for (int p = c - 17; p <= c + 17; p++) {
                at.add(p);
            }
        }
        for (int p = len - 40; p < len; p++) {
            at.add(p);
        }
        at.removeIf(p -> p < 0 || p >= len);
        return at;
    }

    @Test
    void longStringsWithOneSpecialCharAtEveryBoundaryPosition() {
        String[] inserts = {"\"", "\\", "\n", "\u0000", "\u001f", "\u007f", "\u0080", "\u00e9", "\u00ff", "\u0100",
            "\u4141", "\u5c22", "\u2028", "\ud800", "\udfff", "\ud83d\ude00", "\udbff\udfff\udfff"};
        for (int len : new int[] {255, 256, 257, JsonStringWriter.CHUNK - 1, JsonStringWriter.CHUNK,
            JsonStringWriter.CHUNK + 1, 16384}) {
            String base = "x".repeat(len);
            assertThat(quoted(base)).isEqualTo(reference(base));
            for (int at : bulkPositions(len)) {
                for (String insert : inserts) {
                    String s = base.substring(0, at) + insert + base.substring(at + Math.min(insert.length(), len - at));
                    assertThat(quoted(s)).as("len=%d at=%d insert=%s", len, at, insert).isEqualTo(reference(s));
                }
            }
        }
    }

    @Test
    void longStringsSwitchingBetweenAsciiLatin1AndWiderCharsAtEveryOffsetModEight() {
        String[] runs = {"\u00e9\u00e8", "\u4e2d", "\"\\", "\t"};
        for (int len : new int[] {256, 300, JsonStringWriter.CHUNK + 40}) {
            for (int start = 0; start < 24; start++) {
                for (int gap = 1; gap < 20; gap++) {
                    for (String run : runs) {
                        StringBuilder sb = new StringBuilder("a".repeat(start));
                        while (sb.length() < len) {
                            sb.append(run).append("b".repeat(gap));
                        }
                        String s = sb.toString();
                        assertThat(quoted(s)).as("len=%d start=%d gap=%d run=%s", len, start, gap, run).isEqualTo(reference(s));
                        // the same with a plain prefix of 2048 - 1 chars: the runs straddle the chunk boundary
                        String t = "p".repeat(JsonStringWriter.CHUNK - 1) + s;
                        assertThat(quoted(t)).isEqualTo(reference(t));
                    }
                }
            }
        }
    }

    @Test
    void randomLongStringsMatchTheReference() {
        SplittableRandom r = new SplittableRandom(99);
        char[] palette = {'"', '\\', '\n', '\u0001', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u0100', '\u4141', '\ud800',
            '\udc00', '\ud83d', '\ude00'};
        for (int round = 0; round < 400; round++) {
            char[] cs = new char[200 + r.nextInt(3 * JsonStringWriter.CHUNK)];
            int density = 1 + r.nextInt(2000);
            for (int k = 0; k < cs.length; k++) {
                cs[k] = r.nextInt(density) == 0 ? palette[r.nextInt(palette.length)] : (char) (' ' + r.nextInt(95));
            }
            String s = new String(cs);
            assertThat(quoted(s)).isEqualTo(reference(s));
            assertThat(quoted(new StringBuilder(s))).isEqualTo(reference(s));
        }
    }
}
