package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.internal.config.Defaults;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * {@link FrameEncoder} → bytes → {@link FrameSplitter} + {@link MessageDecoder}: ~30 varied messages
 * concatenated into one stream, fed split at every byte offset (two writes), one byte per write and in
 * random chunks; the decoded sequence must equal the originals (types equal, data JSON-equal to what
 * the payload rules say is sent).
 */
@Timeout(60)
class RoundTripSplitTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();

    record Msg(String type, Object data, String modernJson, String legacyJson) {
        static Msg same(String type, Object data, String json) {
            return new Msg(type, data, json, json);
        }
    }

    record Pair(String name, double[] values) {}

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Msg> messages() {
        List<Msg> m = new ArrayList<>();
        m.add(Msg.same("hello", map("id", "worker-1"), "{\"id\":\"worker-1\"}"));
        m.add(new Msg("null", null, "null", "{}"));
        m.add(new Msg("missing", MissingNode.getInstance(), "{}", "{}"));
        m.add(new Msg("empty", "", "\"\"", "{}"));
        m.add(new Msg("nan", Double.NaN, "null", "{}"));
        m.add(Msg.same("false", false, "false"));
        m.add(Msg.same("zero", 0, "0"));
        m.add(Msg.same("negzero", -0.0, "0"));
        m.add(Msg.same("big", 1e21, "1e21"));
        m.add(Msg.same("pi", Math.PI, "3.141592653589793"));
        m.add(Msg.same("long", 9007199254740993L, "9007199254740992"));
        m.add(new Msg("listeners", map("_maxListeners", 10, "z", 1), "{\"_maxListeners\":10,\"z\":1}", "{}"));
        m.add(Msg.same("record", new Pair("p", new double[] {1.5, -2}), "{\"name\":\"p\",\"values\":[1.5,-2]}"));
        m.add(Msg.same("intkeys", map("2", 1, "b", 2, "1", 3), "{\"1\":3,\"2\":1,\"b\":2}"));
        m.add(Msg.same("formfeed", "a\fb\f", "\"a\\fb\\f\""));
        m.add(Msg.same("crlf", "line1\r\nline2\n", "\"line1\\r\\nline2\\n\""));
        m.add(Msg.same("controls", "\u0001\u0001\u0002\u0003\u0000", "\"\\u0001\\u0001\\u0002\\u0003\\u0000\""));
        m.add(Msg.same("ls", "\u2028\u2029", "\"\u2028\u2029\""));
        m.add(Msg.same("lone", "x\ud800y", "\"x\\ud800y\""));
        m.add(Msg.same("emoji", "é😀日本", "\"é😀日本\""));
        m.add(Msg.same("a\"b", "quote in type", "\"quote in type\""));
        m.add(Msg.same("é", List.of(1, 2, 3), "[1,2,3]"));
        m.add(Msg.same("__proto__", map("constructor", map("prototype", 1)), "{\"constructor\":{\"prototype\":1}}"));
        m.add(Msg.same("connect", true, "true"));
        m.add(Msg.same("error", map("message", "boom", "code", "E"), "{\"message\":\"boom\",\"code\":\"E\"}"));
        m.add(Msg.same("", "empty type", "\"empty type\""));
        m.add(Msg.same("nested", map("a", List.of(map("b", List.of(List.of()))), "n", null),
            "{\"a\":[{\"b\":[[]]}],\"n\":null}"));
        m.add(Msg.same("longstr", "z".repeat(300), "\"" + "z".repeat(300) + "\""));
        m.add(Msg.same("numbers", List.of(-1, 1e-7, 123.456, Integer.MIN_VALUE, Long.MAX_VALUE),
            "[-1,1e-7,123.456,-2147483648,9223372036854775807]"));
        m.add(Msg.same("backslash\\", "\\u0041", "\"\\\\u0041\""));
        return m;
    }

    private static byte[] encodeAll(List<Msg> msgs, FrameEncoder enc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Msg msg : msgs) {
            ByteBuf buf = enc.encode(ByteBufAllocator.DEFAULT, msg.type(), msg.data());
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    /** One decoded message rendered as "type → canonical data JSON" for readable comparison. */
    private static String render(String type, JsonNode data) {
        return type + " → " + (data.isMissingNode() ? "<missing>" : canonical(data));
    }

    /** Numbers compared by value (1e21 parses as a double, 9007199254740992 as a long, …). */
    private static String canonical(JsonNode node) {
        if (node.isNumber()) {
            double d = node.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : Double.toString(d);
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(e -> parts.add(canonical(e)));
            return parts.toString();
        }
        if (node.isObject()) {
            StringBuilder sb = new StringBuilder("{");
            node.properties().forEach(e -> sb.append(MAPPER.writeValueAsString(e.getKey())).append(':')
                .append(canonical(e.getValue())).append(','));
            return sb.append('}').toString();
        }
        return MAPPER.writeValueAsString(node);
    }

    private static List<String> expected(List<Msg> msgs, boolean legacy) {
        List<String> out = new ArrayList<>();
        for (Msg m : msgs) {
            out.add(render(m.type(), MAPPER.readTree(legacy ? m.legacyJson() : m.modernJson())));
        }
        return out;
    }

    private static List<String> drain(EmbeddedChannel ch, List<String> into) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            try {
                if (o instanceof WireMessage w) {
                    into.add(render(w.type(), w.data()));
                } else {
                    into.add("FAILURE " + o);
                }
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return into;
    }

    /**
     * Allocator that hands out plain (not leak-tracked) heap buffers and remembers them, so a test can
     * assert deterministically that every one was released. Paranoid leak tracking records a stack
     * trace on every buffer access, which would make ~1500 channels per stream take seconds.
     */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> handedOut = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            handedOut.add(b);
            return b;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    /**
     * Feeds the stream cut at {@code cuts}. With {@code tracking}, inputs and the decoder's cumulations
     * are plain buffers whose release is asserted here; otherwise they come from the default
     * (leak-detected) allocator.
     */
    private static List<String> feed(byte[] stream, byte[] delimiter, int[] cuts, boolean tracking) {
        EmbeddedChannel ch = new EmbeddedChannel();
        TrackingAllocator alloc = new TrackingAllocator();
        if (tracking) {
            ch.config().setAllocator(alloc);
        }
        ch.pipeline().addLast(new FrameSplitter(delimiter, 1 << 20), new MessageDecoder(MAPPER));
        List<ByteBuf> inputs = new ArrayList<>();
        try {
            List<String> got = new ArrayList<>();
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : stream.length;
                if (to > from) {
                    ByteBuf in = tracking ? alloc.heapBuffer(to - from) : Unpooled.buffer(to - from);
                    in.writeBytes(stream, from, to - from);
                    inputs.add(in);
                    ch.writeInbound(in);
                    drain(ch, got);
                    from = to;
                }
            }
            ch.checkException();
            return got;
        } finally {
            ch.finishAndReleaseAll();
            if (tracking) {
                for (ByteBuf b : alloc.handedOut) {
                    assertThat(b.refCnt()).as("buffer not released").isZero();
                }
            } else {
                for (ByteBuf b : inputs) {
                    assertThat(b.refCnt()).as("input not released").isZero();
                }
            }
        }
    }

    @ParameterizedTest(name = "delimiter={0} legacy={1}")
    @CsvSource({"0c, false", "0c, true", "0d0a, false", "010203, false", "010102, true"})
    void everySplitOffsetDecodesTheOriginalSequence(String delimiterHex, boolean legacy) {
        byte[] delimiter = java.util.HexFormat.of().parseHex(delimiterHex);
        List<Msg> msgs = messages();
        assertThat(msgs).hasSizeGreaterThanOrEqualTo(30);
        FrameEncoder enc = new FrameEncoder(delimiter, legacy, MAPPER);
        byte[] stream = encodeAll(msgs, enc);
        List<String> expected = expected(msgs, legacy);
        long t0 = System.nanoTime();

        assertThat(feed(stream, delimiter, new int[0], false)).as("one write").isEqualTo(expected);
        for (int cut = 1; cut < stream.length; cut++) {
            assertThat(feed(stream, delimiter, new int[] {cut}, true)).as("split at %d of %d", cut, stream.length).isEqualTo(expected);
        }
        int[] everyByte = new int[stream.length];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i;
        }
        assertThat(feed(stream, delimiter, everyByte, false)).as("one byte per write").isEqualTo(expected);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            int[] cuts = rnd.ints(rnd.nextInt(2, 40), 1, stream.length).sorted().distinct().toArray();
            assertThat(feed(stream, delimiter, cuts, rnd.nextBoolean())).as("random chunks").isEqualTo(expected);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(ms).as("ms for %d bytes", stream.length).isLessThan(10_000);
    }

    @AfterAll
    static void flushLeakReports() {
        FrameSplitterTest.flushLeakReports();
    }

    @Test
    void frameBodiesAreTheDocumentedBytes() {
        // sanity: spot-check the stream really is node-ipc's framing
        FrameEncoder enc = new FrameEncoder(new byte[] {'\f'}, false, MAPPER);
        String s = new String(encodeAll(messages().subList(0, 3), enc), StandardCharsets.UTF_8);
        assertThat(s).isEqualTo("{\"type\":\"hello\",\"data\":{\"id\":\"worker-1\"}}\f"
            + "{\"type\":\"null\",\"data\":null}\f{\"type\":\"missing\",\"data\":{}}\f");
    }
}
