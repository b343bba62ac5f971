package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.jipc.internal.config.Defaults;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Differential test of {@link RecordReader}: for every payload it takes, the record equals the one Jackson's
 * {@code treeToValue} makes from the same tree; every payload it refuses is one Jackson converts or rejects; and
 * it refuses the mappers and records where that equivalence is not proven.
 */
@Timeout(30)
class RecordReaderTest {
    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final List<JsonMapper> DEFAULT_MAPPERS = List.of(PLAIN, Defaults.jsonMapper());

    public record Prims(int i, long l, double d, boolean b, String s) {}

    public record Boxes(Integer i, Long l, Double d, Boolean b, String s) {}

    record Hidden(int seq, String pad) {} // not public: Jackson and the reader both open it

    public record Checked(int n) {
        public Checked {
            if (n < 0) {
                throw new IllegalArgumentException("negative: " + n);
            }
        }
    }

    public record Renamed(@JsonProperty("other") int a, String b) {}

    public record Nested(int id, Hidden inner, Boxes boxes) {}

    public record Chain(int a, Chain next) {} // contains itself: Jackson binds it, the reader leaves it to Jackson

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    public interface Animal {}

    public record Dog(String name) implements Animal {} // Jackson wants a type id its supertype asks for

    public record Floats(float f) {}

    public record Generic<T>(T value) {}

    public record Empty() {}

    private static final String[] PRIMS = {
        "{\"i\":1,\"l\":2,\"d\":3.5,\"b\":true,\"s\":\"x\"}",
        "{\"s\":\"order\",\"b\":false,\"d\":-0.0,\"l\":-9,\"i\":-2147483648}",
        "{\"i\":2147483647,\"l\":9007199254740993,\"d\":3,\"b\":true,\"s\":\"\"}",
        "{\"i\":0,\"l\":-9223372036854775808,\"d\":1e400,\"b\":true,\"s\":\"\\u00e9\\ud83d\\ude00 \\\"q\\\"\"}",
        "{\"i\":0,\"l\":0,\"d\":-0,\"b\":true,\"s\":\"é😀\"}",
        "{\"i\":1,\"l\":2,\"d\":2.5e-3,\"b\":true,\"s\":\"dup\",\"s\":\"last\"}",
        "{\"i\":1.5,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",               // fraction for int: Jackson converts
        "{\"i\":\"7\",\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",             // string for int
        "{\"i\":null,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",              // null for a primitive
        "{\"i\":2147483648,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",        // long for int
        "{\"i\":1,\"l\":92233720368547758070,\"d\":3,\"b\":true,\"s\":\"x\"}", // BigInteger for long
        "{\"i\":1,\"l\":2.0,\"d\":3,\"b\":true,\"s\":\"x\"}",
        "{\"i\":1,\"l\":2,\"d\":\"3.5\",\"b\":true,\"s\":\"x\"}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":1,\"s\":\"x\"}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":\"true\",\"s\":\"x\"}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":5}",                     // number for String
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":null}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":{}}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":[\"x\"]}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true}",                              // missing member
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\",\"extra\":0}",      // unknown member
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"S\":\"x\"}",
        "{}",
        "[1,2]",
        "\"text\"",
        "null",
    };

    private static final String[] BOXES = {
        "{\"i\":1,\"l\":2,\"d\":3.25,\"b\":false,\"s\":\"x\"}",
        "{\"i\":null,\"l\":null,\"d\":null,\"b\":null,\"s\":null}",
        "{\"i\":-1,\"l\":4294967296,\"d\":7,\"b\":true,\"s\":\"\"}",
        "{\"i\":\"1\",\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",
        "{\"i\":1,\"l\":2,\"d\":3,\"b\":true}",
    };

    @Test
    void whatItTakesIsWhatJacksonMakesAndWhatItRefusesJacksonDecides() throws Exception {
        for (JsonMapper mapper : DEFAULT_MAPPERS) {
            assertThat(RecordReader.supports(mapper)).isTrue();
            assertThat(differential(mapper, Prims.class, PRIMS)).as("payloads taken").isEqualTo(7); // the first six, and null for s
            assertThat(differential(mapper, Boxes.class, BOXES)).isEqualTo(3);
            assertThat(differential(mapper, Hidden.class, "{\"seq\":1,\"pad\":\"xx\"}", "{\"pad\":\"y\",\"seq\":-5}",
                "{\"seq\":1}")).isEqualTo(2);
            assertThat(differential(mapper, Nested.class,
                "{\"id\":1,\"inner\":{\"seq\":2,\"pad\":\"p\"},\"boxes\":{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":\"s\"}}",
                "{\"id\":1,\"inner\":null,\"boxes\":null}",
                "{\"id\":1,\"inner\":{\"seq\":2,\"pad\":\"p\",\"x\":0},\"boxes\":null}",  // extra member inside
                "{\"id\":1,\"inner\":{\"seq\":\"2\",\"pad\":\"p\"},\"boxes\":null}",    // conversion inside
                "{\"id\":1,\"inner\":[],\"boxes\":null}",
                "{\"id\":1,\"inner\":\"text\",\"boxes\":null}")).isEqualTo(2);
        }
    }

    @Test
    void aConstructorThatThrowsLeavesTheFailureToJackson() throws Exception {
        RecordReader r = RecordReader.forType(Checked.class, PLAIN);
        assertThat(r).isNotNull();
        assertThat(r.read(tree(PLAIN, "{\"n\":4}"))).isEqualTo(new Checked(4));
        assertThat(r.read(tree(PLAIN, "{\"n\":-1}"))).isNull();
        assertThat(differential(PLAIN, Checked.class, "{\"n\":4}", "{\"n\":-1}")).isEqualTo(1);
    }

    @Test
    void recordsWhoseBindingIsNotProvenHaveNoReader() {
        for (Class<?> type : List.of(Renamed.class, Chain.class, Dog.class, Floats.class, Generic.class, Empty.class,
                String.class, java.util.Map.class)) {
            assertThat(RecordReader.forType(type, PLAIN)).as(type.getSimpleName()).isNull();
        }
    }

    @Test
    void mappersThatReadRecordsDifferentlyAreRefused() {
        List<JsonMapper> other = List.of(
            JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build(),
            flipped(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES),
            flipped(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS),
            flipped(DeserializationFeature.ACCEPT_FLOAT_AS_INT),
            JsonMapper.builder().addModule(new SimpleModule("custom")).build(),
            JsonMapper.builder().addMixIn(Prims.class, Renamed.class).build());
        for (JsonMapper m : other) {
            assertThat(RecordReader.supports(m)).isFalse();
        }
    }

    /** A default mapper but for {@code f}, set the other way from Jackson's default. */
    private static JsonMapper flipped(DeserializationFeature f) {
        return JsonMapper.builder().configure(f, !PLAIN.isEnabled(f)).build();
    }

    /**
     * Binds each payload with the reader and with Jackson; where the reader takes one, the two records are equal
     * (where it refuses one, Jackson alone decides, as in {@code Codec}).
     * @return how many payloads the reader took
     */
    private static int differential(JsonMapper mapper, Class<?> type, String... payloads) throws Exception {
        RecordReader reader = RecordReader.forType(type, mapper);
        assertThat(reader).as("reader for " + type.getSimpleName()).isNotNull();
        int taken = 0;
        for (String p : payloads) {
            JsonNode tree = tree(mapper, p);
            Object fast = reader.read(tree);
            Object jackson;
            try {
                jackson = mapper.treeToValue(tree, type);
            } catch (RuntimeException e) {
                jackson = e;
            }
            if (fast != null) {
                taken++;
                assertThat(fast).as(p).isEqualTo(jackson);
            }
        }
        return taken;
    }

    private static JsonNode tree(JsonMapper mapper, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new JsonTreeParser(mapper).parse(b, 0, b.length);
    }
}
