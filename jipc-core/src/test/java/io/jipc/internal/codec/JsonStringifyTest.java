package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

@Timeout(30)
class JsonStringifyTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static String json(JsonNode node) {
        ByteBuf buf = Unpooled.buffer(2);
        try {
            JsonStringify.write(node, buf);
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static String roundTrip(String text) {
        return json(MAPPER.readTree(text));
    }

    @Test
    void compactOutputWithScalars() {
        assertThat(roundTrip(" { \"a\" : [ 1 , true , false , null , \"s\" ] , \"b\" : { } , \"c\" : [ ] } "))
                .isEqualTo("{\"a\":[1,true,false,null,\"s\"],\"b\":{},\"c\":[]}");
        assertThat(json(null)).isEqualTo("null");
        assertThat(json(MissingNode.getInstance())).isEqualTo("null");
        assertThat(json(F.arrayNode().add(F.missingNode()).addNull())).isEqualTo("[null,null]");
    }

    @Test
    void arrayIndexKeysComeFirstInAscendingOrder() {
        assertThat(roundTrip("{\"2\":1,\"b\":2,\"1\":3,\"01\":4,\"-1\":5,\"4294967295\":6,\"4294967294\":7}"))
                .isEqualTo("{\"1\":3,\"2\":1,\"4294967294\":7,\"b\":2,\"01\":4,\"-1\":5,\"4294967295\":6}");
        assertThat(roundTrip("{\"b\":1,\"a\":2}")).isEqualTo("{\"b\":1,\"a\":2}");
        assertThat(roundTrip("{\"10\":1,\"9\":2,\"x\":{\"1\":0,\"0\":0}}"))
                .isEqualTo("{\"9\":2,\"10\":1,\"x\":{\"0\":0,\"1\":0}}");
        ObjectNode o = F.objectNode();
        o.put("type", "t");
        o.put("3", 3);
        o.put("1.0", 1);
        o.put("0", 0);
        assertThat(json(o)).isEqualTo("{\"0\":0,\"3\":3,\"type\":\"t\",\"1.0\":1}");
    }

    @Test
    void arrayIndexRecognition() {
        assertThat(JsonStringify.arrayIndex("0")).isZero();
        assertThat(JsonStringify.arrayIndex("42")).isEqualTo(42);
        assertThat(JsonStringify.arrayIndex("4294967294")).isEqualTo(4294967294L);
        for (String notIndex : new String[] {"", "01", "00", "-1", "-0", "1.0", "1e3", " 1", "1 ", "+1",
                "4294967295", "9999999999", "99999999999", "\u0663", "0x1", "a"}) {
            assertThat(JsonStringify.arrayIndex(notIndex)).as(notIndex).isEqualTo(-1);
        }
    }

    @Test
    void numberNodes() {
        ArrayNode a = F.arrayNode()
                .add(F.numberNode(7))
                .add(F.numberNode((short) -3))
                .add(F.numberNode((1L << 53) + 1))
                .add(F.numberNode(new BigInteger("123456789012345678901")))
                .add(F.numberNode(-0.0))
                .add(F.numberNode(Double.NaN))
                .add(F.numberNode(Double.NEGATIVE_INFINITY))
                .add(F.numberNode(1e21))
                .add(F.numberNode(0.1f))
                .add(F.numberNode((float) Math.pow(2, 30)))
                .add(F.numberNode(new BigDecimal("1.10")))
                .add(F.numberNode(new BigDecimal("1E+400")));
        assertThat(json(a)).isEqualTo(
                "[7,-3,9007199254740992,123456789012345680000,0,null,null,1e+21,0.1,1073741800,1.1,null]");
    }

    @Test
    void stringsUseJsonStringifyEscaping() {
        assertThat(json(F.stringNode("a\u0001\ud800/\u2028"))).isEqualTo("\"a\\u0001\\ud800/\u2028\"");
        ObjectNode o = F.objectNode();
        o.put("\n", "\udc00");
        o.put("\ud800", 1); // Jackson 3.2 refuses to *parse* this key, so the golden file cannot cover it
        assertThat(json(o)).isEqualTo("{\"\\n\":\"\\udc00\",\"\\ud800\":1}");
    }

    @Test
    void binaryIsStandardBase64() {
        assertThat(json(F.binaryNode(new byte[] {(byte) 0xfb, (byte) 0xff, 0x01, 0x02})))
                .isEqualTo("\"+/8BAg==\"");
    }

    record Point(int x, String label) {}

    /** Jackson cannot serialize this: the getter throws. */
    public static final class Exploding {
        public int getX() {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void pojoNodesAreConvertedToTrees() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("5", new Point(2, "p"));
        assertThat(json(F.pojoNode(m))).isEqualTo("{\"5\":{\"x\":2,\"label\":\"p\"},\"z\":1}");
        assertThat(json(F.pojoNode(null))).isEqualTo("null");
        assertThat(json(F.pojoNode(F.arrayNode().add(1)))).isEqualTo("[1]");
        assertThat(json(F.pojoNode(1.5e-7))).isEqualTo("1.5e-7");
    }

    @Test
    void failureLeavesBufferUntouched() {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeByte('x');
            ArrayNode bad = F.arrayNode().add(1).add(F.pojoNode(new Exploding()));
            assertThatThrownBy(() -> JsonStringify.write(bad, buf)).isInstanceOf(IllegalArgumentException.class);
            assertThat(buf.writerIndex()).isEqualTo(1);

            ArrayNode deep = F.arrayNode();
            ArrayNode cur = deep;
            for (int i = 1; i < JsonStringify.MAX_DEPTH; i++) {
                cur = cur.addArray();
            }
            JsonStringify.write(deep, buf); // exactly MAX_DEPTH levels is fine
            assertThat(buf.writerIndex()).isEqualTo(1 + 2 * JsonStringify.MAX_DEPTH);
            cur.addArray();
            buf.writerIndex(1);
            assertThatThrownBy(() -> JsonStringify.write(deep, buf)).isInstanceOf(IllegalArgumentException.class);
            assertThat(buf.writerIndex()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }
}
