package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Differential test of {@link RecordTextReader}: whatever record it reads from a text equals the one
 * {@link RecordReader#read} makes from the tree of the same text, it reads every payload the tree path takes but
 * those with a repeated name, and where it declines, the caller's tree parse decides as before.
 */
@Timeout(30)
class RecordTextReaderTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public record WithId(String id, int n) {}

    public record NumberId(int id, String s) {}

    @Test
    void readsWhatTheTreePathTakesAndNothingElse() {
        assertThat(differential(RecordReaderTest.Prims.class,
            "{\"i\":1,\"l\":2,\"d\":3.5,\"b\":true,\"s\":\"x\"}",
            " { \"s\" : \"order\" ,\t\"b\":false,\"d\":-0.0,\"l\":-9,\"i\":-2147483648\r\n}",
            "{\"i\":2147483647,\"l\":9007199254740993,\"d\":3,\"b\":true,\"s\":\"\"}",
            "{\"i\":0,\"l\":-922337203685477580,\"d\":1e400,\"b\":true,\"s\":\"\\u00e9\\ud83d\\ude00 \\\"q\\\"\"}",
            "{\"i\":0,\"l\":0,\"d\":-0,\"b\":true,\"s\":\"é😀\"}",
            "{\"\\u0069\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":\"escaped name\"}",
            "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":null}",
            "{\"i\":1.5,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",
            "{\"i\":1e0,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",
            "{\"i\":\"7\",\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",
            "{\"i\":null,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",
            "{\"i\":2147483648,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}",
            "{\"i\":1,\"l\":92233720368547758070,\"d\":3,\"b\":true,\"s\":\"x\"}",
            "{\"i\":1,\"l\":-9223372036854775808,\"d\":3,\"b\":true,\"s\":\"19 digits, the smallest long\"}",
            "{\"i\":1,\"l\":9223372036854775808,\"d\":3,\"b\":true,\"s\":\"19 digits, one above the largest\"}",
            "{\"i\":1,\"l\":-9223372036854775809,\"d\":3,\"b\":true,\"s\":\"19 digits, one below the smallest\"}",
            "{\"i\":1,\"l\":1,\"d\":1234567890123456789,\"b\":true,\"s\":\"a 19-digit long for a double\"}",
            "{\"i\":1,\"l\":2,\"d\":3,\"b\":1,\"s\":\"x\"}",
            "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":5}",
            "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":{}}",
            "{\"i\":1,\"l\":2,\"d\":3,\"b\":true}",
            "{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\",\"extra\":0}",
            "{}", "[1,2]", "\"text\"", "null", "{\"i\":1,", "{\"i\":01,\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}"))
            .isEqualTo(9);
        assertThat(differential(RecordReaderTest.Boxes.class,
            "{\"i\":1,\"l\":2,\"d\":3.25,\"b\":false,\"s\":\"x\"}",
            "{\"i\":null,\"l\":null,\"d\":null,\"b\":null,\"s\":null}",
            "{\"i\":-1,\"l\":4294967296,\"d\":7,\"b\":true,\"s\":\"\"}",
            "{\"i\":\"1\",\"l\":2,\"d\":3,\"b\":true,\"s\":\"x\"}")).isEqualTo(3);
        assertThat(differential(RecordReaderTest.Nested.class,
            "{\"id\":1,\"inner\":{\"seq\":2,\"pad\":\"p\"},\"boxes\":{\"i\":1,\"l\":2,\"d\":3,\"b\":true,\"s\":\"s\"}}",
            "{\"id\":1,\"inner\":null,\"boxes\":null}",
            "{\"id\":1,\"inner\":{\"seq\":2,\"pad\":\"p\",\"x\":0},\"boxes\":null}",
            "{\"id\":1,\"inner\":{\"seq\":\"2\",\"pad\":\"p\"},\"boxes\":null}",
            "{\"id\":1,\"inner\":[],\"boxes\":null}")).isEqualTo(2);
        assertThat(differential(RecordReaderTest.Checked.class, "{\"n\":4}", "{\"n\":-1}")).isEqualTo(1);
    }

    @Test
    void aRepeatedNameIsLeftToTheTreeWhichKeepsTheLastValue() {
        RecordReader r = RecordReader.forType(RecordReaderTest.Hidden.class, MAPPER);
        String dup = "{\"seq\":1,\"pad\":\"a\",\"seq\":2}";
        assertThat(read(r, dup)).isNull();
        assertThat(r.read(tree(dup))).isEqualTo(new RecordReaderTest.Hidden(2, "a"));
    }

    @Test
    void leavesTheIdAsTheTreeParseWouldAndTheCursorAfterTheObject() {
        RecordReader r = RecordReader.forType(WithId.class, MAPPER);
        JsonTreeParser.Text t = text("{\"n\":1,\"id\":\"abc\"} \f");
        assertThat(RecordTextReader.read(r, t, 2)).isEqualTo(new WithId("abc", 1));
        assertThat(t.objectId()).isEqualTo("abc");
        assertThat(t.followedBy("\f".getBytes(StandardCharsets.US_ASCII))).isTrue();
        JsonTreeParser.Text nullId = text("{\"id\":null,\"n\":1}");
        assertThat(RecordTextReader.read(r, nullId, 2)).isEqualTo(new WithId(null, 1));
        assertThat(nullId.objectId()).isNull();
        JsonTreeParser.Text number = text("{\"id\":5,\"s\":\"x\"}");
        assertThat(RecordTextReader.read(RecordReader.forType(NumberId.class, MAPPER), number, 2))
            .isEqualTo(new NumberId(5, "x"));
        assertThat(number.objectId()).isNull();
    }

    @Test
    void randomObjectsAgreeWithTheTreePath() {
        Random random = new Random(20261123);
        RecordReader r = RecordReader.forType(RecordReaderTest.Prims.class, MAPPER);
        String[] names = {"i", "l", "d", "b", "s", "x", "\\u0073"};
        String[] values = {"0", "-1", "7", "2147483647", "-2147483649", "123456789012345678", "1234567890123456789",
            "99999999999999999999", "1.5", "-0.0", "2e3", "1E-2", "true", "false", "null", "\"s\"", "\"\\n\"",
            "\"é\"", "{}", "[]", "{\"a\":1}", "tru", "01", "-", "\"open"};
        String[] space = {"", "", "", " ", "\t", "\r\n"};
        int taken = 0;
        for (int k = 0; k < 20_000; k++) {
            StringBuilder b = new StringBuilder(space[random.nextInt(space.length)]).append('{');
            int members = random.nextInt(4) > 0 ? 5 : random.nextInt(8);
            List<String> order = new ArrayList<>(List.of("i", "l", "d", "b", "s"));
            java.util.Collections.shuffle(order, random);
            for (int m = 0; m < members; m++) {
                // mostly the components, each once in a shuffled order; sometimes another name or a repeat
                String name = m < order.size() && random.nextInt(8) > 0 ? order.get(m) : names[random.nextInt(names.length)];
                String value = random.nextInt(8) > 0 ? typical(name, random) : values[random.nextInt(values.length)];
                b.append(m == 0 ? "" : ",").append(space[random.nextInt(space.length)]).append('"').append(name)
                    .append('"').append(space[random.nextInt(space.length)]).append(':').append(value);
            }
            b.append(space[random.nextInt(space.length)]).append('}');
            taken += agree(r, b.toString()) ? 1 : 0;
        }
        assertThat(taken).as("payloads read into the record").isGreaterThan(2_000);
    }

    private static String typical(String name, Random random) {
        return switch (name) {
            case "i" -> Integer.toString(random.nextInt());
            case "l" -> Long.toString(random.nextLong() >> random.nextInt(64));
            case "d" -> random.nextBoolean() ? Double.toString(random.nextGaussian()) : Integer.toString(random.nextInt(100));
            case "b" -> Boolean.toString(random.nextBoolean());
            default -> "\"v" + random.nextInt(1000) + "\"";
        };
    }

    /** @return how many payloads were read into the record, each checked by {@link #agree} */
    private static int differential(Class<?> type, String... payloads) {
        RecordReader r = RecordReader.forType(type, MAPPER);
        assertThat(r).isNotNull();
        int taken = 0;
        for (String p : payloads) {
            taken += agree(r, p) ? 1 : 0;
        }
        return taken;
    }

    /**
     * Reads {@code json} without and with the tree: a record read straight equals the tree path's one, and the tree
     * path takes nothing it declines but a text with a repeated name. @return whether it was read straight
     */
    private static boolean agree(RecordReader r, String json) {
        Object direct = read(r, json);
        Object viaTree;
        try {
            viaTree = r.read(tree(json));
        } catch (JsonTreeParser.JsonSyntaxException e) {
            viaTree = null;
        }
        if (direct != null) {
            assertThat(direct).as(json).isEqualTo(viaTree);
            return true;
        }
        if (viaTree != null) {
            assertThat(repeatsAName(json)).as("the tree path took %s", json).isTrue();
        }
        return false;
    }

    private static boolean repeatsAName(String json) {
        JsonNode t = tree(json);
        // names are the strings followed by a colon (the test texts hold no colon or escaped quote inside strings)
        long members = java.util.regex.Pattern.compile("\"[^\"]*\"\\s*:").matcher(json).results().count();
        return t.size() < members;
    }

    private static Object read(RecordReader r, String json) {
        return RecordTextReader.read(r, text(json), 2);
    }

    private static JsonTreeParser.Text text(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new JsonTreeParser(MAPPER).text(b, 0, b.length);
    }

    private static JsonNode tree(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new JsonTreeParser(MAPPER).parse(b, 0, b.length);
    }
}
