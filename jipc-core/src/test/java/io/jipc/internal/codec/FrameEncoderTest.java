package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.internal.buffer.FrameScratch;
import io.jipc.internal.config.Defaults;
import io.jipc.testing.FreshThread;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden bytes of {@link FrameEncoder#encode}: node-ipc.md §1.1 table, column "9.2.1" for legacy rules
 * and "14.0.0 fast" for modern rules ({@code ipc.server.emit(sock,'x',v)} probed against real node-ipc).
 */
@Timeout(60)
class FrameEncoderTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();
    private static final FrameEncoder LEGACY = new FrameEncoder(new byte[] {'\f'}, true, MAPPER);
    private static final FrameEncoder MODERN = new FrameEncoder(new byte[] {'\f'}, false, MAPPER);

    record Point(int y, String x, List<Integer> list) {}

    record Empty() {}

    /** Encodes and returns the frame as a string (all outputs are valid UTF-8), checking the raw bytes too. */
    private static String encode(FrameEncoder enc, String type, Object data) {
        ByteBuf buf = enc.encode(ByteBufAllocator.DEFAULT, type, data);
        try {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            assertThat(Utf8Validator.firstInvalid(bytes, 0, bytes.length)).isEqualTo(-1);
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static byte[] encodeBytes(FrameEncoder enc, String type, Object data) {
        ByteBuf buf = enc.encode(ByteBufAllocator.DEFAULT, type, data);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Asserts the frame body (delimiter \f appended) under legacy and modern rules. */
    private static void golden(Object data, String legacyData, String modernData) {
        String legacy = "{\"type\":\"x\",\"data\":" + legacyData + "}\f";
        String modern = "{\"type\":\"x\",\"data\":" + modernData + "}\f";
        assertThat(encode(LEGACY, "x", data)).as("legacy %s", data).isEqualTo(legacy);
        assertThat(encodeBytes(LEGACY, "x", data)).as("legacy bytes %s", data).isEqualTo(legacy.getBytes(StandardCharsets.UTF_8));
        assertThat(encode(MODERN, "x", data)).as("modern %s", data).isEqualTo(modern);
        assertThat(encodeBytes(MODERN, "x", data)).as("modern bytes %s", data).isEqualTo(modern.getBytes(StandardCharsets.UTF_8));
    }

    private static void same(Object data, String both) {
        golden(data, both, both);
    }

    /** An insertion-ordered map of alternating keys and values (shared with the other codec tests). */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---------------------------------------------------------------- §1.1 table rows

    @Test
    void nullPayload() {
        golden(null, "{}", "null");
        golden(MAPPER.getNodeFactory().nullNode(), "{}", "null");
    }

    @Test
    void missingPayloadIsUndefined() {
        golden(MissingNode.getInstance(), "{}", "{}");
    }

    @Test
    void emptyString() {
        golden("", "{}", "\"\"");
        same(" ", "\" \"");
        same("0", "\"0\"");
    }

    @Test
    void notANumber() {
        golden(Double.NaN, "{}", "null");
        golden(Float.NaN, "{}", "null");
        // Infinity is truthy in JS, so legacy keeps it; JSON.stringify writes null
        same(Double.POSITIVE_INFINITY, "null");
        same(Double.NEGATIVE_INFINITY, "null");
    }

    @Test
    void falseAndZeroAreKept() {
        same(false, "false");
        same(true, "true");
        same(0, "0");
        same(0L, "0");
        same(0.0, "0");
    }

    @Test
    void negativeZeroAndLargeNumbers() {
        same(-0.0, "0");
        same(-0.0f, "0");
        same(1e21, "1e+21");
        same(1e20, "100000000000000000000");
        same(1.5e-7, "1.5e-7");
        same(0.1, "0.1");
        same(123456789012345678L, "123456789012345680"); // beyond 2^53: JS number precision
    }

    @Test
    void maxListenersObjects() {
        golden(map("_maxListeners", 1, "z", 1), "{}", "{\"_maxListeners\":1,\"z\":1}");
        golden(map("_maxListeners", "x"), "{}", "{\"_maxListeners\":\"x\"}");
        golden(map("_maxListeners", true), "{}", "{\"_maxListeners\":true}");
        golden(map("_maxListeners", map()), "{}", "{\"_maxListeners\":{}}");
        // falsy _maxListeners: the object is sent as is
        same(map("_maxListeners", 0, "z", 1), "{\"_maxListeners\":0,\"z\":1}");
        same(map("_maxListeners", null), "{\"_maxListeners\":null}");
        same(map("_maxListeners", ""), "{\"_maxListeners\":\"\"}");
        same(map("_maxListeners", false), "{\"_maxListeners\":false}");
        same(map("_maxListeners", Double.NaN), "{\"_maxListeners\":null}");
        // only a top-level object is checked
        same(map("inner", map("_maxListeners", 1)), "{\"inner\":{\"_maxListeners\":1}}");
        same(List.of(map("_maxListeners", 1)), "[{\"_maxListeners\":1}]");
    }

    @Test
    void javaRecord() {
        same(new Point(1, "a", List.of(2, 3)), "{\"y\":1,\"x\":\"a\",\"list\":[2,3]}");
        same(new Point(0, null, List.of()), "{\"y\":0,\"x\":null,\"list\":[]}");
        same(List.of(new Point(1, "é", List.of())), "[{\"y\":1,\"x\":\"é\",\"list\":[]}]");
    }

    @Test
    void mapWithIntegerLikeKeys() {
        same(map("2", 1, "b", 2, "1", 3), "{\"1\":3,\"2\":1,\"b\":2}");
        // not array indices: keep insertion order
        same(map("b", 1, "01", 2, "-1", 3, "4294967295", 4, "1.5", 5, "4294967294", 6, "0", 7),
            "{\"0\":7,\"4294967294\":6,\"b\":1,\"01\":2,\"-1\":3,\"4294967295\":4,\"1.5\":5}");
        Map<Integer, String> ints = new LinkedHashMap<>();
        ints.put(10, "a");
        ints.put(2, "b");
        ints.put(-1, "c");
        same(ints, "{\"2\":\"b\",\"10\":\"a\",\"-1\":\"c\"}");
    }

    @Test
    void stringWithFormFeedIsEscapedSoTheDelimiterNeverAppearsInside() {
        same("a\fb", "\"a\\fb\"");
        same("\b\t\n\r\u0000\u001f\u007f\"\\/", "\"\\b\\t\\n\\r\\u0000\\u001f\u007f\\\"\\\\/\"");
        byte[] frame = encodeBytes(MODERN, "\f", "\f\f");
        for (int i = 0; i < frame.length - 1; i++) {
            assertThat(frame[i]).as("byte %d", i).isNotEqualTo((byte) '\f');
        }
        assertThat(frame[frame.length - 1]).isEqualTo((byte) '\f');
    }

    @Test
    void lineSeparatorIsRawUtf8() {
        same("\u2028\u2029", "\"\u2028\u2029\"");
        assertThat(encodeBytes(MODERN, "x", "\u2028")).containsSequence(0x22, 0xe2 - 256, 0x80 - 256, 0xa8 - 256, 0x22);
    }

    @Test
    void loneSurrogatesAreEscapedLowercase() {
        same("\ud800", "\"\\ud800\"");
        same("\udfff", "\"\\udfff\"");
        same("a\udbffb", "\"a\\udbffb\"");
        same("\ude00\ud83d", "\"\\ude00\\ud83d\""); // reversed pair = two lone surrogates
    }

    @Test
    void emojiAndNonAsciiAreRawUtf8() {
        same("é😀", "\"é😀\"");
        byte[] frame = encodeBytes(MODERN, "x", "😀");
        assertThat(frame).containsSequence(0x22, 0xf0 - 256, 0x9f - 256, 0x98 - 256, 0x80 - 256, 0x22);
    }

    // ---------------------------------------------------------------- type strings

    @Test
    void typeStringsAreEscapedLikeJsonStringify() {
        assertThat(encode(MODERN, "a\"b", 1)).isEqualTo("{\"type\":\"a\\\"b\",\"data\":1}\f");
        assertThat(encode(LEGACY, "é", 1)).isEqualTo("{\"type\":\"é\",\"data\":1}\f");
        assertThat(encodeBytes(LEGACY, "é", 1)).startsWith(0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0xc3 - 256, 0xa9 - 256, 0x22);
        assertThat(encode(MODERN, "a\\b\fc\u0001", 1)).isEqualTo("{\"type\":\"a\\\\b\\fc\\u0001\",\"data\":1}\f");
        assertThat(encode(MODERN, "\ud800😀\u2028", 1)).isEqualTo("{\"type\":\"\\ud800😀\u2028\",\"data\":1}\f");
        assertThat(encode(MODERN, "", 1)).isEqualTo("{\"type\":\"\",\"data\":1}\f");
        assertThat(encode(LEGACY, "__proto__", null)).isEqualTo("{\"type\":\"__proto__\",\"data\":{}}\f");
    }

    // ---------------------------------------------------------------- other inputs

    @Test
    void jsonNodesArePassedThrough() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("b", 1);
        node.put("1", "one");
        node.putArray("a").add(1.0).add("s").addNull();
        same(node, "{\"1\":\"one\",\"b\":1,\"a\":[1,\"s\",null]}");
        golden(MAPPER.createObjectNode().put("_maxListeners", 2), "{}", "{\"_maxListeners\":2}");
        golden(MAPPER.getNodeFactory().stringNode(""), "{}", "\"\"");
    }

    @Test
    void nestedValues() {
        same(List.of(), "[]");
        same(map(), "{}");
        same(List.of(1, "two", List.of(3.5, false)), "[1,\"two\",[3.5,false]]");
        same(new int[] {1, 2}, "[1,2]");
        same(map("n", null, "d", -0.0, "big", 1e21), "{\"n\":null,\"d\":0,\"big\":1e+21}");
        same(new Empty(), "{}");
    }

    @Test
    void multiByteDelimiterIsAppended() {
        FrameEncoder crlf = new FrameEncoder("\r\n".getBytes(StandardCharsets.US_ASCII), false, MAPPER);
        assertThat(encode(crlf, "x", "\r\n")).isEqualTo("{\"type\":\"x\",\"data\":\"\\r\\n\"}\r\n");
        byte[] d = {1, 1, 2};
        FrameEncoder odd = new FrameEncoder(d, true, MAPPER);
        d[0] = 9; // the encoder keeps its own copy
        assertThat(encode(odd, "x", "\u0001\u0001\u0002")).isEqualTo("{\"type\":\"x\",\"data\":\"\\u0001\\u0001\\u0002\"}\u0001\u0001\u0002");
    }

    /** A bean whose getter throws cannot be converted. */
    public static final class Exploding {
        public int getValue() {
            throw new IllegalStateException("getter exploded");
        }
    }

    @Test
    void propertylessObjectIsEmptyObjectLikeJavaScript() {
        same(new Object(), "{}");
    }

    @Test
    void unconvertiblePayloadIsIllegalArgument() {
        assertThatThrownBy(() -> MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Exploding()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(Exploding.class.getName());
        assertThatThrownBy(() -> LEGACY.encode(ByteBufAllocator.DEFAULT, "x", List.of(new Exploding())))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSmallFrameIsRecycledByItsThreadOnceReleased() throws Exception {
        FreshThread.run(() -> {
            ByteBuf first = MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Point(1, "a", List.of(2)));
            assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"x\",\"data\":{\"y\":1,\"x\":\"a\",\"list\":[2]}}\f");
            first.release();
            ByteBuf second = MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Point(3, "b", List.of()));
            assertThat(second).as("the released frame, reused").isSameAs(first);
            assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"x\",\"data\":{\"y\":3,\"x\":\"b\",\"list\":[]}}\f");
            ByteBuf held = MODERN.encode(ByteBufAllocator.DEFAULT, "x", 1);
            assertThat(held).as("while the first is held, another").isNotSameAs(second);
            assertThat(held.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"x\",\"data\":1}\f");
            held.release();
            second.release();
        });
    }

    @Test
    void framesOfEverySizeAroundTheRecycledLimitsAreExact() {
        for (int n : new int[] {4000, 4060, 4070, 4071, 4072, 4100, 8000, 65_000, 66_000, 200_000, 30, 4071}) {
            String pad = "p".repeat(n);
            String expected = "{\"type\":\"x\",\"data\":\"" + pad + "\"}\f";
            assertThat(encode(MODERN, "x", pad)).as("pad %d", n).isEqualTo(expected);
            assertThat(encodeBytes(MODERN, "x", pad)).hasSize(expected.length());
        }
    }

    @Test
    void aFailedEncodeLeavesTheThreadReadyForTheNext() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Exploding()))
                .isInstanceOf(IllegalArgumentException.class);
            try (FrameScratch s = FrameScratch.lend()) {
                assertThat(s).as("scratch handed back after the failure").isNotNull();
            }
            assertThat(encode(MODERN, "x", List.of(i))).isEqualTo("{\"type\":\"x\",\"data\":[" + i + "]}\f");
        }
    }

    /** Records what a {@link FrameSink} was handed; declines lent frames when told to. */
    private static final class RecordingSink implements FrameSink<String> {
        final boolean declines;
        String lent;
        String owned;

        RecordingSink(boolean declines) {
            this.declines = declines;
        }

        @Override
        public String takeCopy(ByteBuf frame) {
            lent = frame.toString(StandardCharsets.UTF_8);
            return declines ? null : "lent";
        }

        @Override
        public String take(ByteBuf frame) {
            try {
                owned = frame.toString(StandardCharsets.UTF_8);
                return "owned";
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void aSinkIsLentTheScratchFirstAndGetsAFrameOfItsOwnWhenItDeclines() {
        String expected = "{\"type\":\"x\",\"data\":{\"y\":1,\"x\":\"p\",\"list\":[2]}}\f";
        RecordingSink takes = new RecordingSink(false);
        assertThat(MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Point(1, "p", List.of(2)), takes)).isEqualTo("lent");
        assertThat(takes.lent).isEqualTo(expected);
        assertThat(takes.owned).as("not handed twice").isNull();

        RecordingSink declines = new RecordingSink(true);
        assertThat(MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Point(1, "p", List.of(2)), declines)).isEqualTo("owned");
        assertThat(declines.lent).isEqualTo(expected);
        assertThat(declines.owned).as("the same bytes, in a frame of its own").isEqualTo(expected);
        try (FrameScratch s = FrameScratch.lend()) {
            assertThat(s).as("scratch handed back after the sink ran").isNotNull();
        }
    }

    @Test
    void withoutTheScratchTheSinkGetsAnOwnedFrameAndAFailedEncodeCallsNoSink() {
        RecordingSink sink = new RecordingSink(false);
        try (FrameScratch held = FrameScratch.lend()) { // in use, as when an encode is re-entered from a serializer
            assertThat(held).isNotNull();
            assertThat(MODERN.encode(ByteBufAllocator.DEFAULT, "x", List.of(7), sink)).isEqualTo("owned");
        }
        assertThat(sink.lent).isNull();
        assertThat(sink.owned).isEqualTo("{\"type\":\"x\",\"data\":[7]}\f");

        RecordingSink untouched = new RecordingSink(false);
        assertThatThrownBy(() -> MODERN.encode(ByteBufAllocator.DEFAULT, "x", new Exploding(), untouched))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(untouched.lent).isNull();
        assertThat(untouched.owned).isNull();
    }

    @AfterAll
    static void flushLeakReports() {
        FrameSplitterTest.flushLeakReports();
    }
}
