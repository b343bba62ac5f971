package io.jipc.internal.codec;

import static io.jipc.internal.codec.DirectJsonEncodingTest.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jipc.internal.config.Defaults;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Differential test of {@link RecordWriter}: for every record it accepts, the frame is byte for byte the one
 * Jackson's serializers write into the same generator ({@link FrameEncoder#jacksonOnly()}); for every record
 * or mapper it must refuse, it is refused and the frame is still Jackson's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordWriterTest {
    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final List<JsonMapper> DEFAULT_MAPPERS = List.of(PLAIN, Defaults.jsonMapper());

    public record Prims(int i, long l, short s, double d, float f, boolean b) {}

    public record Boxes(Integer i, Long l, Short s, Double d, Float f, Boolean b) {}

    public record Text(String s) {}

    public record Nested(int id, Text text, Prims prims, Boxes boxes) {}

    public record Outer(Nested n, String tail) {}

    record Hidden(int seq, String pad) {} // not public: Jackson and the record writer both open it

    public record MaxListeners(int _maxListeners, String x) {}

    public record HoldsMaxListeners(MaxListeners inner, int _maxListeners) {}

    /** Names beyond ASCII: the writer's encoded names must be the UTF-8 writeName gives. */
    public record Unicode(int größe, String 名前, boolean été) {}

    public record Renamed(@JsonProperty("other") int a, String b) {}

    public record Ignored(int a, @JsonIgnore String b) {}

    @JsonPropertyOrder({"b", "a"})
    public record Ordered(int a, String b) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NonNull(int a, String b) {}

    public record AsString(@JsonFormat(shape = JsonFormat.Shape.STRING) int a) {}

    public enum Color { RED }

    public record WithEnum(int a, Color c) {}

    public record WithList(int a, List<String> l) {}

    public record WithExtraGetter(int a) {
        public String getExtra() {
            return "extra";
        }
    }

    public record Generic<T>(T value, int a) {}

    public record Node(int v, Node next) {}

    public record HasIneligible(int a, WithEnum inner) {}

    public record Throwing(int a, String b) {
        @Override
        public String b() {
            throw new IllegalStateException("accessor failed");
        }
    }

    public record Failing(int a) {
        @Override
        public int a() {
            throw new AssertionError("accessor error");
        }
    }

    public record Counting(int a, AtomicInteger calls) {
        @Override
        public int a() {
            calls.incrementAndGet();
            return a;
        }

        @Override
        @JsonIgnore
        public AtomicInteger calls() {
            return calls;
        }
    }

    public record Plain(int a, String b, Integer c) {}

    /** Strings with escapes, unicode, lone and paired surrogates, control characters, long runs. */
    private static final String[] STRINGS = {
        "", "x", "a\"b\\c/d", "\u0000\u0001\u001f\u007f", "\b\f\n\r\t", "\u2028\u2029", "é漢字", "😀",
        "\ud800", "\udc00", "x\ud800y", "\udc00\ud800", "\ud83d\ude00\ud83d", "<script>&'", "x".repeat(5000),
        "\u00ff\u0100\u07ff\u0800\uffff",
    };

    private static final double[] DOUBLES = {
        0.0, -0.0, 1.0, -1.5, 0.1, 1e21, 1e-7, 1e20, 123456789.125, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_NORMAL, 5e-324, 9007199254740993.0,
    };

    private static final float[] FLOATS = {
        0f, -0f, 1.1f, 0.1f, 3.4028235e38f, 1.4e-45f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e21f,
        16777217f,
    };

    private static List<Object> eligibleValues() {
        List<Object> v = new ArrayList<>();
        int[] ints = {0, 1, -1, 42, Integer.MIN_VALUE, Integer.MAX_VALUE};
        long[] longs = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 9007199254740993L, 1L << 53};
        short[] shorts = {0, Short.MIN_VALUE, Short.MAX_VALUE};
        for (int k = 0; k < 24; k++) {
            Prims p = new Prims(ints[k % ints.length], longs[k % longs.length], shorts[k % shorts.length],
                    DOUBLES[k % DOUBLES.length], FLOATS[k % FLOATS.length], k % 2 == 0);
            v.add(p);
            v.add(new Boxes(ints[k % ints.length], longs[k % longs.length], shorts[k % shorts.length],
                    DOUBLES[k % DOUBLES.length], FLOATS[k % FLOATS.length], k % 3 == 0));
            v.add(new Nested(k, new Text(STRINGS[k % STRINGS.length]), p, null));
        }
        for (double d : DOUBLES) {
            v.add(new Prims(0, 0, (short) 0, d, 0f, false));
        }
        for (float f : FLOATS) {
            v.add(new Prims(0, 0, (short) 0, 0, f, true));
        }
        v.add(new Boxes(null, null, null, null, null, null));
        for (String s : STRINGS) {
            v.add(new Text(s));
            v.add(new Hidden(123456, s));
        }
        v.add(new Text(null));
        v.add(new Nested(0, null, null, null));
        v.add(new Outer(new Nested(1, new Text("t"), new Prims(1, 2, (short) 3, 4.5, 5.5f, true),
                new Boxes(1, 2L, (short) 3, -0.0, Float.NaN, false)), "tail"));
        v.add(new Outer(null, null));
        v.add(new MaxListeners(10, "y"));
        v.add(new HoldsMaxListeners(new MaxListeners(1, "z"), 2));
        v.add(new Unicode(3, "漢", true));
        v.add(new Plain(1, "b", null));
        return v;
    }

    /** Asserts the record writer's frame equals Jackson's, under both rule sets. */
    private static void assertSameAsJackson(JsonMapper mapper, Object data) {
        for (boolean legacy : new boolean[] {false, true}) {
            FrameEncoder fast = new FrameEncoder(new byte[] {'\f'}, legacy, mapper);
            FrameEncoder jackson = new FrameEncoder(new byte[] {'\f'}, legacy, mapper).jacksonOnly();
            byte[] expected = encode(jackson, data);
            assertThat(encode(fast, data)).as("%s legacy=%s: %s", data, legacy,
                    new String(expected, StandardCharsets.UTF_8)).isEqualTo(expected);
            assertThat(encode(fast, data)).as("again %s", data).isEqualTo(expected); // the cached writer
        }
    }

    private static boolean eligible(JsonMapper mapper, Class<?> type) {
        return RecordWriter.supports(mapper) && RecordWriter.forType(type, mapper) != null;
    }

    @Test
    void eligibleRecordsWriteJacksonsBytes() {
        for (JsonMapper mapper : DEFAULT_MAPPERS) {
            assertThat(RecordWriter.supports(mapper)).isTrue();
            for (Object value : eligibleValues()) {
                assertThat(eligible(mapper, value.getClass())).as("%s", value.getClass()).isTrue();
                assertSameAsJackson(mapper, value);
            }
        }
    }

    @Test
    void nestedRecordsAreDeepButBounded() {
        Outer o = new Outer(new Nested(7, new Text("\ud800"), new Prims(Integer.MIN_VALUE, Long.MAX_VALUE,
                (short) -1, 1e21, -0f, true), new Boxes(null, Long.MIN_VALUE, null, Double.NaN, null, true)), "");
        assertSameAsJackson(PLAIN, o);
        assertThat(new String(encode(new FrameEncoder(new byte[] {'\f'}, false, PLAIN), o), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"t\",\"data\":{\"n\":{\"id\":7,\"text\":{\"s\":\"\\ud800\"},\"prims\":"
                        + "{\"i\":-2147483648,\"l\":9223372036854776000,\"s\":-1,\"d\":1e+21,\"f\":0,\"b\":true},"
                        + "\"boxes\":{\"i\":null,\"l\":-9223372036854776000,\"s\":null,\"d\":null,\"f\":null,\"b\":true}},"
                        + "\"tail\":\"\"}}\f");
    }

    @Test
    void ineligibleRecordsKeepJacksonsPath() {
        List<Object> values = List.of(new Renamed(1, "b"), new Ignored(1, "b"), new Ordered(1, "b"),
                new NonNull(1, null), new AsString(5), new WithEnum(1, Color.RED), new WithList(1, List.of("x")),
                new WithExtraGetter(1), new Generic<>("x", 1), new Node(1, new Node(2, null)),
                new HasIneligible(1, new WithEnum(2, null)));
        for (Object value : values) {
            assertThat(eligible(PLAIN, value.getClass())).as("%s", value.getClass()).isFalse();
            assertSameAsJackson(PLAIN, value);
        }
    }

    @Test
    void customizedMappersKeepJacksonsPath() {
        SimpleModule upper = new SimpleModule().addSerializer(String.class, new StdSerializer<String>(String.class) {
            @Override
            public void serialize(String value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeString(value.toUpperCase());
            }
        });
        List<JsonMapper> mappers = List.of(
                JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build(),
                JsonMapper.builder().changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL)).build(),
                JsonMapper.builder().changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_DEFAULT)).build(),
                JsonMapper.builder().withConfigOverride(Integer.class,
                        o -> o.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING))).build(),
                JsonMapper.builder().addModule(upper).build(),
                JsonMapper.builder().addMixIn(Plain.class, RenamingMixin.class).build(),
                JsonMapper.builder().enable(SerializationFeature.WRAP_ROOT_VALUE).build(),
                JsonMapper.builder().disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST).build());
        for (int i = 0; i < mappers.size(); i++) {
            JsonMapper mapper = mappers.get(i);
            assertThat(eligible(mapper, Plain.class)).as("mapper %s", i).isFalse();
            for (Object value : List.of(new Plain(0, null, null), new Plain(3, "b", 4), new Hidden(1, "p"),
                    new Prims(0, 1, (short) 2, Double.NaN, 1.5f, false))) {
                assertSameAsJackson(mapper, value);
            }
        }
    }

    /** A mixin that renames a component. */
    abstract static class RenamingMixin {
        @JsonProperty("renamed")
        abstract String b();
    }

    @Test
    void throwingAccessorFailsAsOnJacksonsPath() {
        assertThat(eligible(PLAIN, Throwing.class)).isTrue();
        FrameEncoder fast = new FrameEncoder(new byte[] {'\f'}, false, PLAIN);
        FrameEncoder jackson = new FrameEncoder(new byte[] {'\f'}, false, PLAIN).jacksonOnly();
        Throwable expected = catchThrowable(() -> encode(jackson, new Throwing(1, "b")));
        assertThat(expected).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(fast, new Throwing(1, "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(expected.getMessage());
        // an Error is not Jackson's to wrap: it propagates on both paths
        assertThatThrownBy(() -> encode(jackson, new Failing(1))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> encode(fast, new Failing(1))).isInstanceOf(AssertionError.class);
    }

    @Test
    void accessorsRunOncePerEncode() {
        assertThat(eligible(PLAIN, Counting.class)).isFalse(); // @JsonIgnore on an accessor
        AtomicInteger calls = new AtomicInteger();
        Plain p = new Plain(1, "x", 2);
        assertThat(eligible(PLAIN, Plain.class)).isTrue();
        assertSameAsJackson(PLAIN, p);
        FrameEncoder fast = new FrameEncoder(new byte[] {'\f'}, false, PLAIN);
        encode(fast, new Counting(1, calls));
        assertThat(calls).hasValue(1);
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
