package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import io.jipc.internal.config.Defaults;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Differential tests of the direct encoding path ({@link StringifyGenerator}): for every payload,
 * {@link FrameEncoder#encode} must produce exactly the bytes of the tree path
 * ({@code JsonStringify.write(rules.normalise(mapper.valueToTree(x)))}) under legacy and modern rules,
 * and the direct path must actually be taken where it is meant to be.
 */
@Timeout(60)
class DirectJsonEncodingTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final FrameEncoder LEGACY = new FrameEncoder(new byte[] {'\f'}, true, MAPPER);
    private static final FrameEncoder MODERN = new FrameEncoder(new byte[] {'\f'}, false, MAPPER);

    enum Color { RED, GREEN }

    record Primitives(byte b, short s, int i, long l, float f, double d, boolean z, char c) {}

    record Boxed(Byte b, Short s, Integer i, Long l, Float f, Double d, Boolean z, Character c, String str) {}

    record Big(BigInteger i, BigDecimal d) {}

    record Nested(String name, Primitives p, List<Boxed> list, Map<String, Object> map) {}

    record Arrays3(int[] ints, String[] strings, Object[] objects, byte[] bytes, char[] chars, double[] doubles) {}

    record Opt(Optional<String> a, Optional<Integer> b, Color color) {}

    record WithNode(int a, JsonNode node) {}

    record WithIterator(Iterator<Integer> it, Map<String, Object> m) {}

    record MaxListeners(int _maxListeners, String x) {}

    record Inner(Object value) {}

    /** A bean whose any-getter repeats a regular property name. */
    public static final class Duplicate {
        public int a = 1;

        @JsonAnyGetter
        public Map<String, Object> extra() {
            return Map.of("a", 2);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The tree path's frame: today's reference implementation. */
    private static String reference(boolean legacy, Object data) {
        return reference(MAPPER, legacy, data);
    }

    private static String reference(JsonMapper mapper, boolean legacy, Object data) {
        JsonNode node = data == null ? F.nullNode() : data instanceof JsonNode j ? j : mapper.valueToTree(data);
        node = (legacy ? PayloadRules.LEGACY : PayloadRules.MODERN).normalise(node);
        ByteBuf buf = Unpooled.buffer();
        try {
            JsonStringify.write(node, buf);
            return "{\"type\":\"t\",\"data\":" + buf.toString(StandardCharsets.UTF_8) + "}\f";
        } finally {
            buf.release();
        }
    }

    /** The frame {@code enc} makes of {@code data} with type "t", as bytes (shared with other codec tests). */
    static byte[] encode(FrameEncoder enc, Object data) {
        ByteBuf buf = enc.encode(ByteBufAllocator.DEFAULT, "t", data);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Direct path output, or null when it declines. */
    private static byte[] direct(Object data, boolean legacy) {
        ByteBuf buf = Unpooled.buffer(4);
        try {
            buf.writeByte('#');
            boolean ok = StringifyGenerator.tryWrite(data == null ? MAPPER.writer() : MAPPER.writerFor(data.getClass()),
                data, legacy, buf, null);
            return ok ? ByteBufUtil.getBytes(buf, 1, buf.readableBytes() - 1) : null;
        } finally {
            buf.release();
        }
    }

    private static byte[] bytes(String frame) {
        return frame.getBytes(StandardCharsets.UTF_8);
    }

    /** Frame bytes equal the tree path's under both rule sets (payload built fresh per use). */
    private static void same(Supplier<Object> data) {
        assertThat(encode(MODERN, data.get())).as("modern %s", data.get()).isEqualTo(bytes(reference(false, data.get())));
        assertThat(encode(LEGACY, data.get())).as("legacy %s", data.get()).isEqualTo(bytes(reference(true, data.get())));
    }

    private static void same(Object data) {
        same(() -> data);
    }

    /** As {@link #same(Object)}, and the direct path takes the payload (modern rules) with the same bytes. */
    private static void direct(Object data) {
        same(data);
        byte[] d = direct(data, false);
        assertThat(d).as("direct path taken for %s", data).isNotNull();
        String frame = "{\"type\":\"t\",\"data\":" + new String(d, StandardCharsets.UTF_8) + "}\f";
        assertThat(bytes(frame)).isEqualTo(bytes(reference(false, data)));
    }

    /** As {@link #same(Object)}, and the direct path declines (modern rules). */
    private static void fallback(Object data) {
        same(data);
        assertThat(direct(data, false)).as("direct path declined for %s", data).isNull();
    }

    /** Same bytes as the tree path, or the same exception as {@code FrameEncoder} reports for it. */
    private static void sameOutcome(Supplier<Object> data) {
        for (boolean legacy : new boolean[] {false, true}) {
            FrameEncoder enc = legacy ? LEGACY : MODERN;
            String expected;
            try {
                expected = reference(legacy, data.get());
            } catch (RuntimeException e) {
                assertThatThrownBy(() -> encode(enc, data.get())).as("legacy=%s %s", legacy, data.get())
                    .isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            assertThat(encode(enc, data.get())).as("legacy=%s %s", legacy, data.get()).isEqualTo(bytes(expected));
        }
    }

    private static Map<String, Object> map(Object... kv) {
        return FrameEncoderTest.map(kv);
    }

    // ------------------------------------------------------------------ fixed payloads

    @Test
    void recordsWithPrimitiveAndBoxedTypes() {
        direct(new Primitives((byte) -1, (short) 300, Integer.MIN_VALUE, Long.MAX_VALUE, 0.1f, 0.1, true, 'x'));
        direct(new Primitives((byte) 0, (short) 0, 0, -(1L << 53) - 1, Float.NaN, Double.NaN, false, '\u2028'));
        direct(new Boxed((byte) 1, (short) 2, 3, 4L, 5.5f, 6.5, true, '"', "s"));
        direct(new Boxed(null, null, null, null, null, null, null, null, null));
        direct(new Nested("n", new Primitives((byte) 1, (short) 1, 1, 1, 1, 1, true, '\0'),
            List.of(new Boxed(null, null, 7, null, null, null, false, null, "")), map("k", List.of(1, "2", 3.5))));
    }

    @Test
    void arraysOptionalsAndEnums() {
        direct(new Arrays3(new int[] {1, -2, 3}, new String[] {"a", null, "\\"}, new Object[] {1, "x", null, 2.5, List.of()},
            new byte[] {0, -1, 2, 3, 4}, new char[] {'a', '\n'}, new double[] {0.1, -0.0, 1e21}));
        direct(new Arrays3(new int[0], new String[0], new Object[0], new byte[0], new char[0], new double[0]));
        direct(new int[] {1, 2});
        direct(new String[] {"", "a"});
        direct(new Object[] {null, true});
        direct(new Opt(Optional.of("x"), Optional.empty(), Color.GREEN));
        direct(List.of(Optional.of(3), Optional.empty()));
        direct(Color.RED);
        same(Optional.empty()); // null at the root: legacy turns it into {}
        direct(Optional.of(List.of(1)));
    }

    @Test
    void mapKeys() {
        direct(map("a", 1, "b", map("c", 2)));
        direct(map("01", 1, "-1", 2, "4294967295", 3, "1.5", 4, "", 5, " 1", 6, "1e3", 7));
        fallback(map("b", 1, "0", 2));
        fallback(map("1", 1));
        fallback(map("a", map("10", 1, "9", 2)));
        fallback(map("4294967294", 1));
        fallback(List.of(map("x", 1), map("y", 1, "2", 0)));
        Map<Integer, String> ints = new LinkedHashMap<>();
        ints.put(10, "a");
        ints.put(2, "b");
        fallback(ints);
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("k" + i, i);
        }
        direct(many);
    }

    @Test
    void repeatedNamesKeepTheFirstPositionAndLastValue() {
        fallback(new Duplicate());
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", 2);
        m.put(new StringBuilder("a"), 3);
        fallback(m);
        Map<Object, Object> big = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            big.put("k" + i, i);
        }
        big.put(new StringBuilder("k3"), "dup");
        fallback(big);
    }

    @Test
    void doublesFloatsAndIntegers() {
        for (double d : new double[] {0.1, 1e21, 1e20, 1e-7, 1.5e-7, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 123456789012345680000.0,
            5e-324, 0.30000000000000004, 9007199254740993.0, -1.0}) {
            direct(List.of(d));
            same(d);
        }
        for (float f : new float[] {0.1f, 1e10f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
            16777217f, -0.0f, 3.4e-38f, 1.1f}) {
            direct(List.of(f));
            same(f);
        }
        for (long l : new long[] {(1L << 53) + 1, (1L << 53), -(1L << 53) - 3, Long.MAX_VALUE, Long.MIN_VALUE, 0}) {
            direct(List.of(l));
            same(l);
        }
        direct(new Big(BigInteger.TWO.pow(70), new BigDecimal("1.10")));
        direct(new Big(BigInteger.TWO.pow(64).negate(), new BigDecimal("1E+400")));
        direct(new Big(BigInteger.TEN.pow(400), new BigDecimal("-0.0")));
        direct(new Big(BigInteger.valueOf(9007199254740993L), new BigDecimal("1e-400")));
        direct(new Big(null, new BigDecimal("0.1000000000000000055511151231257827")));
        same(new BigDecimal("0.000"));
        same(BigInteger.ZERO);
    }

    @Test
    void stringsAreEscapedAsJsonStringify() {
        String[] strings = {"plain", "q\"uote", "back\\slash", "\u0000\u0001\b\f\n\r\t\u001f\u007f", "\u2028\u2029",
            "emoji \uD83D\uDE00", "lone \uD800 high", "lone \uDC00 low", "\uDC00\uD800", "\uD800", "é/ü", ""};
        for (String s : strings) {
            direct(List.of(s));
            direct(map(s.isEmpty() ? "e" : s, s));
            same(s);
        }
        direct(new Boxed(null, null, null, null, null, null, null, '\uD800', "\uDFFF"));
    }

    @Test
    void binaryIsStandardBase64() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        direct(new Arrays3(null, null, null, all, null, null));
        direct(List.of(new byte[] {1}, new byte[] {1, 2}, new byte[0]));
        same(new byte[] {(byte) 0xfb, (byte) 0xff});
        same(new byte[0]);
    }

    @Test
    void jsonNodeFields() {
        ObjectNode o = F.objectNode();
        o.put("x", 1);
        o.putArray("y").add("z").addNull();
        direct(new WithNode(1, o));
        direct(new WithNode(2, null));
        direct(new WithNode(3, F.stringNode("")));
        same(new WithNode(4, F.missingNode()));
        same(new WithNode(5, F.pojoNode(List.of(1))));
        ObjectNode idx = F.objectNode();
        idx.put("b", 1);
        idx.put("0", 2);
        fallback(new WithNode(6, idx));
        same(o);
        same(idx);
    }

    @Test
    void nestingDeeperThanTheLimitFailsAsBefore() {
        for (int depth : new int[] {JsonStringify.MAX_DEPTH - 1, JsonStringify.MAX_DEPTH}) {
            Object deep = nest(depth);
            direct(deep);
        }
        Object tooDeep = nest(JsonStringify.MAX_DEPTH + 1);
        assertThat(direct(tooDeep, false)).isNull();
        Class<? extends Throwable> expected = IllegalArgumentException.class;
        assertThatThrownBy(() -> reference(false, tooDeep)).isInstanceOf(expected);
        assertThatThrownBy(() -> encode(MODERN, tooDeep)).isInstanceOf(expected).hasMessageContaining("nesting");
        assertThatThrownBy(() -> encode(LEGACY, new Inner(tooDeep))).isInstanceOf(expected);
    }

    private static Object nest(int arrays) {
        Object v = 1;
        for (int i = 0; i < arrays; i++) {
            v = List.of(v);
        }
        return v;
    }

    @Test
    void maxListenersUnderLegacyAndModernRules() {
        Object[] payloads = {map("_maxListeners", 1, "z", 1), map("_maxListeners", 0), map("_maxListeners", ""),
            map("_maxListeners", null), map("a", 1, "_maxListeners", "x"), new MaxListeners(5, "x"),
            new MaxListeners(0, "x"), map("inner", map("_maxListeners", 1)), List.of(map("_maxListeners", 1))};
        for (Object p : payloads) {
            same(p);
        }
        assertThat(new String(encode(LEGACY, new MaxListeners(5, "x")), StandardCharsets.UTF_8))
            .isEqualTo("{\"type\":\"t\",\"data\":{}}\f");
        assertThat(direct(new MaxListeners(5, "x"), true)).isNull();
        assertThat(direct(new MaxListeners(5, "x"), false)).isNotNull();
        assertThat(direct(map("inner", map("_maxListeners", 1)), true)).isNotNull();
    }

    @Test
    void rootScalarsFollowThePayloadRules() {
        for (Object p : new Object[] {"", "a", 0, 0.0, -0.0, Double.NaN, Float.NaN, false, true, 'c', Color.RED,
            Optional.empty(), List.of(), map(), new byte[0]}) {
            same(p);
        }
        assertThat(direct("", true)).isNull();
        assertThat(direct(Double.NaN, true)).isNull();
        assertThat(new String(direct("", false), StandardCharsets.UTF_8)).isEqualTo("\"\"");
        assertThat(new String(direct(0, true), StandardCharsets.UTF_8)).isEqualTo("0");
    }

    @Test
    void singleUseSourcesAreNotConsumedBeforeFallingBack() {
        same(() -> new WithIterator(List.of(1, 2, 3).iterator(), map("0", 1)));
        same(() -> new WithIterator(List.of(1, 2, 3).iterator(), map("a", 1)));
        same(() -> List.of(4, 5).iterator());
        same(() -> Stream.of(1, map("0", 1)));
        same(() -> new Inner(Stream.of(1, 2)));
        assertThat(direct(new Inner(Stream.of(1, 2)), false)).isNotNull();
    }

    @Test
    void serializationErrorsAreReportedAsBefore() {
        Failing failing = new Failing();
        assertThatThrownBy(() -> encode(MODERN, failing))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("cannot write payload of type " + Failing.class.getName() + " as JSON")
            .hasMessageContaining("boom");
        assertThat(direct(failing, false)).isNull();
    }

    /** A bean whose second property fails. */
    public static final class Failing {
        public int getA() {
            return 1;
        }

        public int getB() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void reentrantEncodingOnOneThread() {
        Object outer = new Object() {
            public String getInner() {
                return new String(encode(MODERN, new Boxed(null, null, 1, null, null, null, null, null, "in")),
                    StandardCharsets.UTF_8);
            }

            public int getAfter() {
                return 2;
            }
        };
        assertThat(new String(encode(MODERN, outer), StandardCharsets.UTF_8)).isEqualTo(reference(false, outer));
    }

    @Test
    void payloadsOfAClassThatFellBackStayExact() {
        FrameEncoder enc = new FrameEncoder(new byte[] {'\f'}, false, MAPPER);
        for (int i = 0; i < 200; i++) {
            Object data = i % 3 == 0 ? map("b", i, String.valueOf(i), 1) : map("a", i, "s", "x".repeat(i));
            assertThat(encode(enc, data)).as("%s", data).isEqualTo(bytes(reference(false, data)));
        }
    }

    @Test
    void customNodeFactoryDisablesTheDirectPath() {
        JsonMapper custom = JsonMapper.builder().nodeFactory(new JsonNodeFactory() {}).build();
        FrameEncoder enc = new FrameEncoder(new byte[] {'\f'}, false, custom);
        Object data = new Boxed(null, null, 1, null, null, null, null, null, "x");
        assertThat(new String(encode(enc, data), StandardCharsets.UTF_8)).isEqualTo(reference(false, data));
    }

    @Test
    void framesOfVaryingSizeReuseTheSizeHint() {
        for (int n : new int[] {0, 10, 100_000, 5, 70_000, 1}) {
            direct(new Boxed(null, null, n, null, null, null, null, null, "x".repeat(n)));
        }
    }

    // ------------------------------------------------------------------ Jackson features

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
    @JsonSubTypes(@JsonSubTypes.Type(value = Cat.class, name = "cat"))
    sealed interface Animal permits Cat {}

    record Cat(String name, int lives) implements Animal {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_ARRAY)
    @JsonSubTypes(@JsonSubTypes.Type(value = Square.class, name = "sq"))
    sealed interface Shape permits Square {}

    record Square(double side) implements Shape {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    @JsonSubTypes(@JsonSubTypes.Type(value = Car.class, name = "car"))
    sealed interface Vehicle permits Car {}

    record Car(int wheels) implements Vehicle {}

    record Annotated(@JsonProperty("renamed") int a, @JsonInclude(JsonInclude.Include.NON_NULL) String skipped,
        @JsonFormat(shape = JsonFormat.Shape.STRING) int asText, @JsonUnwrapped Flat unwrapped) {}

    record Flat(int x, String y) {}

    record Raw(@JsonRawValue String raw) {}

    record IndexName(@JsonProperty("0") int zero, int b) {}

    record Wrapper(@JsonValue List<Integer> values) {}

    /** Swallows the generator's refusal and carries on. */
    @JsonSerialize(using = Swallowing.Serializer.class)
    record Swallowing(int v) {
        static final class Serializer extends ValueSerializer<Swallowing> {
            @Override
            public void serialize(Swallowing value, JsonGenerator g, SerializationContext ctxt) {
                g.writeStartObject();
                try {
                    g.writeName("1");
                    g.writeNumber(value.v());
                } catch (RuntimeException ignored) {
                    // a badly behaved serializer
                }
                try {
                    g.writeName("a");
                    g.writeNumber(2);
                } catch (RuntimeException ignored) {
                    // again
                }
                g.writeEndObject();
            }
        }
    }

    @Test
    void polymorphicTypes() {
        direct(new Cat("tom", 9));
        direct(List.<Animal>of(new Cat("a", 1)));
        direct(List.<Shape>of(new Square(2.5)));
        direct(List.<Vehicle>of(new Car(4)));
    }

    @Test
    void annotations() {
        direct(new Annotated(1, null, 7, new Flat(3, "y")));
        direct(new Annotated(1, "s", 7, null));
        direct(new Wrapper(List.of(1, 2)));
        fallback(new IndexName(1, 2));
        sameOutcome(() -> new Raw("{\"x\":1}"));
        assertThat(direct(new Raw("1"), false)).isNull();
        sameOutcome(() -> new Swallowing(5));
        assertThat(direct(new Swallowing(5), false)).isNull();
    }

    @Test
    void jdkValueTypes() {
        Object[] values = {LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6), Instant.ofEpochSecond(1, 5),
            Duration.ofMillis(1500), new Date(0), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            URI.create("http://x/y?z"), Path.of("/tmp/x"), Locale.CANADA_FRENCH, new AtomicInteger(3), new AtomicLong(1L << 60),
            OptionalInt.of(4), OptionalDouble.empty(), new StringBuilder("sb"), String.class, 'c', Pattern.compile("a+"),
            TimeUnit.SECONDS, new AtomicBoolean(true)};
        for (Object v : values) {
            sameOutcome(() -> v);
            sameOutcome(() -> List.of(v));
            sameOutcome(() -> new Inner(v));
        }
    }

    @Test
    void wrapRootValueAndOtherMapperSettings() {
        JsonMapper wrapping = JsonMapper.builder().enable(SerializationFeature.WRAP_ROOT_VALUE).build();
        JsonMapper sorted = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(EnumFeature.WRITE_ENUMS_USING_INDEX, EnumFeature.WRITE_ENUM_KEYS_USING_INDEX)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        for (JsonMapper m : List.of(wrapping, sorted)) {
            for (boolean legacy : new boolean[] {false, true}) {
                FrameEncoder enc = new FrameEncoder(new byte[] {'\f'}, legacy, m);
                for (Object v : new Object[] {new Cat("a", 1), map("b", 1, "a", Color.GREEN), List.of(new Date(0)), "s",
                    new java.util.EnumMap<>(Map.of(Color.GREEN, 1, Color.RED, 2))}) {
                    assertThat(new String(encode(enc, v), StandardCharsets.UTF_8)).as("%s %s", legacy, v)
                        .isEqualTo(reference(m, legacy, v));
                }
            }
        }
    }

    /** A non-final class and a subclass: each payload is serialized as its runtime class, as {@code writeValue} does. */
    public static class Base {
        public int a = 1;
    }

    public static class Derived extends Base {
        public String b = "x";
    }

    @Test
    void eachPayloadClassGetsItsOwnRootWriter() {
        // more classes than the encoder's table of root writers has slots, interleaved, so entries are replaced
        Object[] values = {new Derived(), new Base(), new Cat("c", 1), new Primitives((byte) 1, (short) 2, 3, 4L, 5f, 6d, true, 'c'),
            List.of(1), map("k", 1), new ArrayList<>(List.of("a")), Optional.of(1), Color.RED, 5, 5L, 2.5, "s", true,
            new int[] {1}, new Inner(new Derived()), new Opt(Optional.empty(), Optional.of(2), Color.GREEN)};
        for (int round = 0; round < 3; round++) {
            for (Object v : values) {
                same(v);
            }
        }
        direct(new Derived());
        direct(new Base());
    }

    @Test
    void defaultTypingMatchesTheTreePath() {
        PolymorphicTypeValidator any = BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build();
        for (DefaultTyping typing : new DefaultTyping[] {DefaultTyping.NON_FINAL, DefaultTyping.NON_FINAL_AND_RECORDS,
            DefaultTyping.JAVA_LANG_OBJECT}) {
            JsonMapper m = JsonMapper.builder().activateDefaultTyping(any, typing).build();
            for (boolean legacy : new boolean[] {false, true}) {
                FrameEncoder enc = new FrameEncoder(new byte[] {'\f'}, legacy, m);
                for (Object v : new Object[] {new Derived(), new Cat("a", 1), List.of(new Derived()), map("a", new Derived()),
                    new Inner(new Derived()), new Inner(List.of(1L)), new Primitives((byte) 1, (short) 2, 3, 4L, 5f, 6d, true, 'c')}) {
                    for (int round = 0; round < 2; round++) {
                        assertThat(new String(encode(enc, v), StandardCharsets.UTF_8)).as("%s %s %s", typing, legacy, v)
                            .isEqualTo(reference(m, legacy, v));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ chunked string writing

    /** {@code writeQuoted} of a String (chunked path) against a StringBuilder (per-char path). */
    private static void sameQuoted(String s) {
        ByteBuf chunked = Unpooled.directBuffer(1);
        ByteBuf perChar = Unpooled.buffer(1);
        ByteBuf array = Unpooled.buffer(1).writeByte('#'); // array-backed: plain prefix straight into the array
        try {
            JsonStringWriter.writeQuoted(s, chunked);
            JsonStringWriter.writeQuoted(new StringBuilder(s), perChar);
            JsonStringWriter.writeQuoted(s, array);
            assertThat(ByteBufUtil.getBytes(chunked)).as("%s", s.chars().mapToObj(Integer::toHexString).toList())
                .isEqualTo(ByteBufUtil.getBytes(perChar));
            assertThat(ByteBufUtil.getBytes(array, 1, array.readableBytes() - 1)).as("array %s", s)
                .isEqualTo(ByteBufUtil.getBytes(perChar));
            assertThat((long) chunked.readableBytes()).isEqualTo(JsonStringWriter.quotedLength(s));
        } finally {
            chunked.release();
            perChar.release();
            array.release();
        }
    }

    @Test
    void longStringsAcrossChunkBoundaries() {
        int chunk = JsonStringWriter.CHUNK;
        String[] inserts = {"\uD83D\uDE00", "\uD800", "\uDC00", "\uD800\uD800\uDC00", "\"", "\\", "\n", "\u0001", "\u007f",
            "\u00e9", "\u2028", "\uFFFF", "\uDBFF\uDFFF\uDFFF",
            // above Latin-1 with a plain (or special) low byte: must not pass as ASCII
            "\u0141", "\u0122", "\u015C", "\u0100", "\u00ff", "\u0080"};
        for (int len : new int[] {JsonStringWriter.BULK_MIN - 1, JsonStringWriter.BULK_MIN, chunk - 1, chunk, chunk + 1,
            2 * chunk, 3 * chunk + 7}) {
            sameQuoted("a".repeat(len));
            for (String insert : inserts) {
                for (int at : new int[] {0, chunk - 3, chunk - 2, chunk - 1, chunk, chunk + 1, len - 1}) {
                    if (at >= 0 && at <= len) {
                        String base = "x".repeat(len);
                        sameQuoted(base.substring(0, at) + insert + base.substring(at));
                    }
                }
            }
        }
        Random rnd = new Random(7);
        for (int i = 0; i < 3000; i++) {
            char[] cs = new char[rnd.nextInt(3 * chunk)];
            int special = rnd.nextInt(4); // from all-plain to mostly special
            for (int k = 0; k < cs.length; k++) {
                cs[k] = rnd.nextInt(8) < special ? PALETTE[rnd.nextInt(PALETTE.length)] : (char) (' ' + rnd.nextInt(95));
            }
            sameQuoted(new String(cs));
        }
    }

    // ------------------------------------------------------------------ random structures

    record Leaf(int a, Long b, float c, double d, BigDecimal e, byte[] f, boolean g, String h) {}

    record Branch(String name, List<Object> children, Map<String, Object> attrs) {}

    @Test
    void randomStructuresMatchTheTreePath() {
        Random rnd = new Random(20240611L);
        int directCount = 0;
        for (int i = 0; i < 1000; i++) {
            Object data = randomValue(rnd, 0);
            same(data);
            if (direct(data, false) != null) {
                directCount++;
            }
        }
        assertThat(directCount).as("most random payloads take the direct path").isGreaterThan(450);
    }

    @Test
    void concurrentEncodersMatchTheTreePath() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 300; i++) {
                        Object data = randomValue(rnd, 0);
                        assertThat(encode(MODERN, data)).isEqualTo(bytes(reference(false, data)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object randomValue(Random rnd, int depth) {
        int kind = depth > 4 ? rnd.nextInt(6) : rnd.nextInt(10);
        return switch (kind) {
            case 0 -> randomString(rnd);
            case 1 -> randomDouble(rnd);
            case 2 -> rnd.nextBoolean() ? rnd.nextLong() >> rnd.nextInt(64) : rnd.nextInt(1000);
            case 3 -> rnd.nextInt(10) == 0 ? null : rnd.nextBoolean();
            case 4 -> Float.intBitsToFloat(rnd.nextInt());
            case 5 -> new Leaf(rnd.nextInt(), rnd.nextBoolean() ? null : rnd.nextLong(), rnd.nextFloat() * 1e6f,
                randomDouble(rnd), rnd.nextBoolean() ? null : new BigDecimal(rnd.nextLong()).movePointLeft(rnd.nextInt(30)),
                rnd.nextBoolean() ? null : randomBytes(rnd), rnd.nextBoolean(), randomString(rnd));
            case 6, 7 -> {
                List<Object> list = new ArrayList<>();
                for (int i = rnd.nextInt(6); i > 0; i--) {
                    list.add(randomValue(rnd, depth + 1));
                }
                yield list;
            }
            case 8 -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = rnd.nextInt(12); i > 0; i--) {
                    m.put(randomKey(rnd), randomValue(rnd, depth + 1));
                }
                yield m;
            }
            default -> new Branch(randomString(rnd), Arrays.asList(randomValue(rnd, depth + 1)),
                rnd.nextBoolean() ? null : map(randomKey(rnd), randomValue(rnd, depth + 1)));
        };
    }

    private static String randomKey(Random rnd) {
        return switch (rnd.nextInt(20)) {
            case 0 -> Integer.toString(rnd.nextInt(20));
            case 1 -> "0" + rnd.nextInt(10);
            case 2 -> "_maxListeners";
            default -> "k" + rnd.nextInt(30);
        };
    }

    private static final char[] PALETTE = {'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\u0000', '\u001f', '\u007f', '\u00e9',
        '\u2028', '\u20ac', '\uD83D', '\uDE00', '\uDBFF', '\uDFFF', '\uFFFF'};

    private static String randomString(Random rnd) {
        char[] cs = new char[rnd.nextInt(12)];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = rnd.nextInt(3) == 0 ? PALETTE[rnd.nextInt(PALETTE.length)] : (char) ('a' + rnd.nextInt(26));
        }
        return new String(cs);
    }

    private static double randomDouble(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> Double.longBitsToDouble(rnd.nextLong());
            case 1 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(60) - 30);
            case 2 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE, 1e21}[rnd.nextInt(5)];
            default -> rnd.nextInt(100_000) / 100.0;
        };
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(9)];
        rnd.nextBytes(b);
        return Arrays.copyOf(b, b.length);
    }
}
