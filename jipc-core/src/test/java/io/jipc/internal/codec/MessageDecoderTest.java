package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.internal.config.Defaults;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * {@link FrameSplitter} + {@link MessageDecoder} on an {@link EmbeddedChannel}, fed every kind of bad
 * frame from node-ipc.md §1.3. Every bad frame must turn into exactly one {@link DecodeFailure} naming
 * what was wrong, nothing may escape the pipeline as an exception, and the next good frame must still
 * decode. Uses the production mapper ({@link Defaults#jsonMapper()}).
 */
@Timeout(60)
class MessageDecoderTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();
    private static final int MAX = 1 << 20;
    private static final String GOOD = "{\"type\":\"ok\",\"data\":{\"n\":1}}";

    private EmbeddedChannel ch;

    @BeforeEach
    void open() {
        ch = new EmbeddedChannel(new FrameSplitter(new byte[] {'\f'}, MAX), new MessageDecoder(MAPPER));
    }

    @AfterEach
    void close() {
        ch.checkException();
        ch.finishAndReleaseAll();
    }

    @AfterAll
    static void flushLeakReports() {
        FrameSplitterTest.flushLeakReports();
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Sends one frame (bytes + \f) and returns the single decoded object, asserting nothing else came. */
    private Object one(byte[] frame) {
        ch.writeInbound(Unpooled.copiedBuffer(concat(frame, new byte[] {'\f'})));
        ch.checkException();
        Object m = ch.readInbound();
        try {
            assertThat(m).as("decoded %s", new String(frame, StandardCharsets.UTF_8)).isNotNull();
            assertThat(m).isNotInstanceOf(ByteBuf.class);
            assertThat((Object) ch.readInbound()).as("only one message").isNull();
            return m;
        } finally {
            ReferenceCountUtil.release(m);
        }
    }

    private Object one(String frame) {
        return one(utf8(frame));
    }

    private WireMessage message(String frame) {
        Object m = one(frame);
        assertThat(m).as(frame).isInstanceOf(WireMessage.class);
        return (WireMessage) m;
    }

    /** Asserts a DecodeFailure with that code whose message contains every fragment, then a good frame. */
    private DecodeFailure failure(byte[] frame, ProtocolErrorCode code, String... fragments) {
        Object m = one(frame);
        assertThat(m).as(new String(frame, StandardCharsets.UTF_8)).isInstanceOf(DecodeFailure.class);
        DecodeFailure f = (DecodeFailure) m;
        assertThat(f.code()).as("code for %s (%s)", new String(frame, StandardCharsets.UTF_8), f.message()).isEqualTo(code);
        for (String fragment : fragments) {
            assertThat(f.message()).contains(fragment);
        }
        stillUsable();
        return f;
    }

    private DecodeFailure failure(String frame, ProtocolErrorCode code, String... fragments) {
        return failure(utf8(frame), code, fragments);
    }

    private void stillUsable() {
        WireMessage ok = message(GOOD);
        assertThat(ok.type()).isEqualTo("ok");
        assertThat(ok.data().get("n").intValue()).isEqualTo(1);
    }

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    // ---------------------------------------------------------------- good frames

    @Test
    void goodFrame() {
        WireMessage m = message("{\"type\":\"hello\",\"data\":{\"id\":\"w\",\"list\":[1,2.5,\"x\",null,true]}}");
        assertThat(m.type()).isEqualTo("hello");
        assertThat(m.data()).isEqualTo(json("{\"id\":\"w\",\"list\":[1,2.5,\"x\",null,true]}"));
    }

    @Test
    void everyJsonValueIsAcceptedAsData() {
        for (String data : List.of("null", "0", "-1.5e-7", "false", "\"\"", "\"\\f\\u2028\"", "[]", "{}", "[[[]]]")) {
            WireMessage m = message("{\"type\":\"t\",\"data\":" + data + "}");
            assertThat(m.data()).as(data).isEqualTo(json(data));
        }
    }

    @Test
    void missingDataBecomesMissingNode() {
        WireMessage m = message("{\"type\":\"t\"}");
        assertThat(m.type()).isEqualTo("t");
        assertThat(m.data()).isSameAs(MissingNode.getInstance());
        assertThat(m.data().isMissingNode()).isTrue();
    }

    @Test
    void explicitNullDataIsNullNodeNotMissing() {
        WireMessage m = message("{\"type\":\"t\",\"data\":null}");
        assertThat(m.data().isNull()).isTrue();
        assertThat(m.data().isMissingNode()).isFalse();
    }

    @Test
    void extraMembersAndMemberOrderDoNotMatter() {
        WireMessage m = message("{\"data\":[1],\"extra\":true,\"type\":\"late\"}");
        assertThat(m.type()).isEqualTo("late");
        assertThat(m.data()).isEqualTo(json("[1]"));
    }

    @Test
    void specialAndReservedTypeNamesAreOrdinaryMessages() {
        for (String type : List.of("__proto__", "constructor", "connect", "error", "data", "close", "disconnect",
                "socket.disconnected", "destroy", "hasOwnProperty", "toString", "*", "", "é😀", "\u2028")) {
            WireMessage m = message("{\"type\":" + MAPPER.writeValueAsString(type) + ",\"data\":{\"v\":1}}");
            assertThat(m.type()).isEqualTo(type);
            assertThat(m.data()).isEqualTo(json("{\"v\":1}"));
        }
    }

    @Test
    void escapedTypeStringsAreUnescaped() {
        assertThat(message("{\"type\":\"a\\\"b\\\\c\\u00e9\\f\"}").type()).isEqualTo("a\"b\\cé\f");
        // JSON.parse accepts an escaped lone surrogate; so must we
        assertThat(message("{\"type\":\"\\ud800\"}").type()).isEqualTo("\ud800");
        assertThat(message("{\"type\":\"\\ud83d\\ude00\"}").type()).isEqualTo("😀");
    }

    @Test
    void envelopeNamesCountHoweverTheyAreSpelled() {
        // escaped spellings of "type" and "data" are the same names to JSON.parse; near misses are other members
        WireMessage m = message("{\"\\u0074ype\":\"t1\",\"d\\u0061ta\":[1],\"types\":2,\"typ\":3,\"dat\":4}");
        assertThat(m.type()).isEqualTo("t1");
        assertThat(m.data()).isEqualTo(json("[1]"));
        WireMessage last = message("{\"type\":\"first\",\"data\":1,\"\\u0074ype\":\"second\",\"data\":2}");
        assertThat(last.type()).isEqualTo("second");
        assertThat(last.data()).isEqualTo(json("2"));
        failure("{\"typ\\u0065\":7}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "number");
        failure("{\"Type\":\"x\"}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "missing");
    }

    @Test
    void whitespaceAroundTheObjectIsAccepted() {
        // JSON.parse accepts the four JSON whitespace characters around the value
        WireMessage m = message(" \t\r\n {\"type\" : \"w\" , \"data\" : [ 1 , 2 ] } \n\t\r ");
        assertThat(m.type()).isEqualTo("w");
        assertThat(m.data()).isEqualTo(json("[1,2]"));
    }

    @Test
    void duplicateKeysLastOneWinsLikeJsonParse() {
        WireMessage m = message("{\"type\":\"first\",\"data\":1,\"type\":\"second\",\"data\":{\"a\":1,\"a\":2}}");
        assertThat(m.type()).isEqualTo("second");
        assertThat(m.data()).isEqualTo(json("{\"a\":2}"));
        // a string type overridden by a non-string one is not a string type any more
        failure("{\"type\":\"a\",\"type\":5}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "\"type\"", "number");
        // and the other way round it is fine
        assertThat(message("{\"type\":5,\"type\":\"b\"}").type()).isEqualTo("b");
    }

    @Test
    void manyFramesInOneWriteDecodeInOrder() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("{\"type\":\"m").append(i).append("\",\"data\":").append(i).append("}\f");
            if (i % 50 == 7) {
                sb.append("not json\f");
            }
        }
        ch.writeInbound(Unpooled.copiedBuffer(utf8(sb.toString())));
        int messages = 0;
        int failures = 0;
        for (Object m; (m = ch.readInbound()) != null; ) {
            if (m instanceof WireMessage w) {
                assertThat(w.type()).isEqualTo("m" + messages);
                assertThat(w.data().intValue()).isEqualTo(messages);
                messages++;
            } else {
                assertThat(((DecodeFailure) m).code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_JSON);
                failures++;
            }
            ReferenceCountUtil.release(m);
        }
        assertThat(messages).isEqualTo(500);
        assertThat(failures).isEqualTo(10);
    }

    // ---------------------------------------------------------------- ERR_IPC_INVALID_JSON

    @Test
    void emptyFrameIsInvalidJson() {
        failure("", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "empty");
        // two in a row: \f\f\f
        ch.writeInbound(Unpooled.copiedBuffer(utf8("\f\f")));
        for (int i = 0; i < 2; i++) {
            DecodeFailure f = ch.readInbound();
            assertThat(f.code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_JSON);
        }
        assertThat((Object) ch.readInbound()).isNull();
        stillUsable();
    }

    @Test
    void invalidJsonIsInvalidJson() {
        failure("{", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON", "\"{\"");
        failure("not json", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON", "not json");
        failure("{\"type\":\"a\",}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{\"type\":\"a\"", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{type:\"a\"}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{'type':'a'}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
    }

    @Test
    void jsonThatJsonParseRejectsIsInvalidJson() {
        // Jackson extensions that are off by default must stay off: JSON.parse rejects all of these
        for (String bad : List.of(
                "{\"type\":\"a\",\"data\":NaN}",
                "{\"type\":\"a\",\"data\":Infinity}",
                "{\"type\":\"a\",\"data\":01}",
                "{\"type\":\"a\",\"data\":+1}",
                "{\"type\":\"a\",\"data\":.5}",
                "{\"type\":\"a\",\"data\":[1,]}",
                "{\"type\":\"a\" /* c */}",
                "{\"type\":\"a\"} // c",
                "{\"type\":\"a\",\"data\":\"tab\there\"}",      // raw control char inside a string
                "{\"type\":\"a\",\"data\":\"\\x41\"}",          // invalid escape
                "{\"type\":\"a\",\"data\":\"\\u12\"}")) {       // short \\u escape
            failure(bad, ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        }
    }

    @Test
    void trailingGarbageAfterTheObjectIsInvalidJson() {
        failure("{\"type\":\"a\"} x", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{\"type\":\"a\"}{\"type\":\"b\"}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{\"type\":\"a\"} 1", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{\"type\":\"a\"}}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        // not JSON whitespace for JSON.parse either
        failure("{\"type\":\"a\"}\ufeff", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("\u00a0{\"type\":\"a\"}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{\"type\":\"a\"}\u2028", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure("{\"type\":\"a\"}\u000b", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
    }

    @Test
    void whitespaceOnlyFrameIsInvalidJson() {
        // JSON.parse(" ") throws SyntaxError ("Unexpected end of JSON input") → ERR_IPC_INVALID_JSON
        failure(" ", ProtocolErrorCode.ERR_IPC_INVALID_JSON);
        failure("\r\n\t ", ProtocolErrorCode.ERR_IPC_INVALID_JSON);
    }

    @Test
    void byteOrderMarkBeforeTheObjectIsInvalidJson() {
        // Node decodes the frame to a string keeping U+FEFF, and JSON.parse("\uFEFF{...}") throws
        failure(concat(hex("ef bb bf"), utf8("{\"type\":\"a\"}")), ProtocolErrorCode.ERR_IPC_INVALID_JSON);
    }

    @Test
    void invalidJsonPreviewIsBoundedAndHasNoControlCharacters() {
        String longBad = "x".repeat(10_000);
        DecodeFailure f = failure(longBad, ProtocolErrorCode.ERR_IPC_INVALID_JSON, "10000 bytes");
        assertThat(f.message().length()).isLessThan(1000);
        DecodeFailure g = failure("{\u0001\r\n", ProtocolErrorCode.ERR_IPC_INVALID_JSON);
        assertThat(g.message()).doesNotContain("\u0001", "\r", "\n");
    }

    // ---------------------------------------------------------------- ERR_IPC_INVALID_MESSAGE

    @Test
    void nonObjectJsonIsInvalidMessage() {
        failure("null", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "JSON object", "but was null");
        failure("[{\"type\":\"a\"}]", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "JSON object", "but was array");
        failure("[]", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "but was array");
        failure("42", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "but was number");
        failure("-1.5e3", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "but was number");
        failure("\"type\"", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "but was string");
        failure("true", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "but was boolean");
        failure(" false ", ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE, "but was boolean");
    }

    // ---------------------------------------------------------------- ERR_IPC_INVALID_EVENT

    @Test
    void missingOrNonStringTypeIsInvalidEvent() {
        failure("{\"data\":1}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "\"type\" must be a string", "but was missing");
        failure("{}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "but was missing");
        failure("{\"type\":5,\"data\":1}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "\"type\" must be a string", "but was number");
        failure("{\"type\":null}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "but was null");
        failure("{\"type\":[\"a\"]}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "but was array");
        failure("{\"type\":{\"a\":1}}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "but was object");
        failure("{\"type\":true}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "but was boolean");
        failure("{\"Type\":\"a\"}", ProtocolErrorCode.ERR_IPC_INVALID_EVENT, "but was missing");
    }

    // ---------------------------------------------------------------- ERR_IPC_INVALID_UTF8

    @Test
    void invalidUtf8IsInvalidUtf8WithOffset() {
        byte[] pre = utf8("{\"type\":\"a\",\"data\":\"");  // 20 bytes
        byte[] post = utf8("\"}");
        assertThat(pre).hasSize(20);
        String[][] cases = {
            {"c0 af", "overlong 2-byte '/'"},
            {"e0 80 af", "overlong 3-byte"},
            {"f0 80 80 af", "overlong 4-byte"},
            {"80", "lone continuation"},
            {"bf bf", "lone continuations"},
            {"ed a0 80", "surrogate half U+D800"},
            {"ed bf bf", "surrogate half U+DFFF"},
            {"ed a0 bd ed b8 80", "CESU-8 surrogate pair"},
            {"e2 82", "truncated 3-byte before the closing quote"},
            {"f0 9f 98", "truncated 4-byte"},
            {"f4 90 80 80", "above U+10FFFF"},
            {"fe", "FE"},
            {"ff", "FF"},
        };
        for (String[] c : cases) {
            DecodeFailure f = failure(concat(pre, hex(c[0]), post), ProtocolErrorCode.ERR_IPC_INVALID_UTF8,
                "UTF-8", "byte offset 20");
            assertThat(f.message()).as(c[1]).contains("of " + (pre.length + hex(c[0]).length + post.length));
        }
        // invalid UTF-8 outside a string, at the very start, and truncated at the very end of the frame
        failure(hex("80"), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 0");
        failure(concat(utf8("{\"type\":\"a\"}"), hex("e2 82")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 12");
        failure(concat(utf8("{\"type\":\"a\"}"), hex("f0")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 12");
        // a valid frame with every UTF-8 length still decodes
        assertThat(message("{\"type\":\"a\",\"data\":\"é€😀\u2028\"}").data().stringValue()).isEqualTo("é€😀\u2028");
    }

    @Test
    void invalidUtf8TakesPrecedenceOverInvalidJson() {
        failure(concat(utf8("{not json "), hex("c0 af")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 10");
    }

    // ---------------------------------------------------------------- data.id and in-place decoding

    @Test
    void dataIdIsFoundWhileDecodingAsALookupWouldFindIt() {
        String[][] cases = {
            {"{\"type\":\"t\",\"data\":{\"id\":\"w\"}}", "w"},
            {"{\"type\":\"t\",\"data\":{\"a\":{\"id\":\"deep\"},\"id\":\"top\",\"b\":[{\"id\":\"x\"}]}}", "top"},
            {"{\"type\":\"t\",\"data\":{\"a\":{\"id\":\"deep\"}}}", null},
            {"{\"type\":\"t\",\"data\":{\"id\":\"a\",\"id\":7}}", null},
            {"{\"type\":\"t\",\"data\":{\"id\":7,\"id\":\"b\"}}", "b"},
            {"{\"type\":\"t\",\"data\":{\"id\":null}}", null},
            {"{\"type\":\"t\",\"data\":{\"id\":\"\\u00e9\\n\"}}", "\u00e9\n"},
            {"{\"type\":\"t\",\"data\":[{\"id\":\"x\"}]}", null},
            {"{\"type\":\"t\",\"data\":\"id\"}", null},
            {"{\"type\":\"t\",\"other\":{\"id\":\"x\"},\"data\":{\"n\":1}}", null},
            {"{\"type\":\"t\",\"data\":{\"id\":\"x\"},\"other\":{\"id\":\"y\"}}", "x"},
            {"{\"type\":\"t\",\"data\":{\"id\":\"x\"},\"data\":{\"n\":1}}", null},
            {"{\"type\":\"t\",\"data\":{\"n\":1},\"data\":{\"id\":\"z\"}}", "z"},
            {"{\"type\":\"t\"}", null},
        };
        for (String[] c : cases) {
            byte[] b = utf8(c[0]);
            WireMessage m = (WireMessage) MessageDecoder.decode(b, 0, b.length, MAPPER);
            assertThat(m.dataId()).as(c[0]).isEqualTo(c[1]);
            assertThat(new WireMessage(m.type(), m.data()).dataId()).as(c[0]).isEqualTo(c[1]);
            assertThat(new WireMessage(m.type(), m.data())).isEqualTo(m).hasToString(m.toString());
        }
    }

    @Test
    void invalidUtf8AnywhereOutranksEveryOtherFault() {
        failure(concat(hex("00"), utf8("{\"type\":\"a\"} "), hex("ff")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 14");
        failure(concat(hex("ef bb bf"), utf8("{\"type\":\"a\"}"), hex("c0")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 15");
        failure(concat(utf8("{\"type\":1} "), hex("80")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 11");
        failure(concat(utf8("{\"type\":\"a\\n"), hex("ed a0 80"), utf8("\"}")), ProtocolErrorCode.ERR_IPC_INVALID_UTF8, "byte offset 12");
        failure(concat(utf8("[\"x\"] "), hex("e2 82 ac")), ProtocolErrorCode.ERR_IPC_INVALID_JSON, "not valid JSON");
        failure(concat(hex("00"), utf8("{}")), ProtocolErrorCode.ERR_IPC_INVALID_JSON, "NUL byte");
    }

    /**
     * The splitter's in-place decoding (heap arrays, and direct buffers copied once per read, past the scratch
     * array's size too) gives what slices through {@link MessageDecoder} give, at every chunking.
     */
    @Test
    void inPlaceDecodingMatchesDecodingSlices() {
        for (String delimiter : new String[] {"\f", "\u0001\u0002"}) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            String[] frames = {GOOD, "", "{\"type\":\"u\",\"data\":\"\u00e9\u20ac\ud83d\ude00\"}", "nope", "{\"type\":\"" + "y".repeat(300) + "\"}",
                "{\"type\":\"i\",\"data\":{\"id\":\"me\",\"n\":[1,2.5,null]}}", "[1]", "{\"type\":7}"};
            for (int i = 0; i < 40; i++) {
                stream.writeBytes(i % 9 == 4 ? concat(utf8("{\"type\":\""), hex("c3 28"), utf8("\"}")) : utf8(frames[i % frames.length]));
                stream.writeBytes(utf8(delimiter));
            }
            byte[] bytes = stream.toByteArray();
            Random r = new Random(3);
            for (int chunk : new int[] {bytes.length, 1, 7, 64, 333, 0}) {
                for (boolean direct : new boolean[] {false, true}) {
                    int size = chunk > 0 ? chunk : 1 + r.nextInt(500);
                    List<String> expected = run(new EmbeddedChannel(new FrameSplitter(utf8(delimiter), 200),
                        new MessageDecoder(MAPPER)), bytes, size, direct);
                    assertThat(expected).hasSize(40);
                    List<String> actual = run(new EmbeddedChannel(new FrameSplitter(utf8(delimiter), 200, 0, MAPPER)), bytes, size, direct);
                    assertThat(actual).as("chunk %d direct %s", size, direct).isEqualTo(expected);
                }
            }
        }
        // one read far larger than the scratch array, and frames too large for it
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        for (int i = 0; i < 400; i++) {
            big.writeBytes(utf8("{\"type\":\"b\",\"data\":\"" + "z".repeat(i % 7 == 0 ? 70_000 : 900 + i) + "\"}\f"));
        }
        byte[] bytes = big.toByteArray();
        List<String> expected = run(new EmbeddedChannel(new FrameSplitter(utf8("\f"), 1 << 20), new MessageDecoder(MAPPER)),
            bytes, bytes.length, false);
        for (int chunk : new int[] {bytes.length, 65_536, 70_001}) {
            assertThat(run(new EmbeddedChannel(new FrameSplitter(utf8("\f"), 1 << 20, 0, MAPPER)), bytes, chunk, true))
                .as("chunk %d", chunk).isEqualTo(expected);
        }
    }

    /** Feeds {@code bytes} in chunks and renders what comes out (a message's type, length and data.id, or a failure). */
    private static List<String> run(EmbeddedChannel channel, byte[] bytes, int chunk, boolean direct) {
        List<String> out = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += chunk) {
            int n = Math.min(chunk, bytes.length - from);
            ByteBuf buf = direct ? Unpooled.directBuffer(n) : Unpooled.buffer(n);
            channel.writeInbound(buf.writeBytes(bytes, from, n));
            for (Object m; (m = channel.readInbound()) != null; ) {
                if (m instanceof WireMessage w) {
                    out.add("message " + w.type().length() + " " + w.data().toString().length() + " " + w.dataId()
                        + " " + w.data().toString().hashCode());
                } else {
                    out.add(m.toString());
                }
            }
        }
        channel.checkException();
        channel.finishAndReleaseAll();
        return out;
    }

    // ---------------------------------------------------------------- pass-through and limits

    @Test
    void frameTooLargeFromTheSplitterPassesThrough() {
        EmbeddedChannel small = new EmbeddedChannel(new FrameSplitter(new byte[] {'\f'}, 32), new MessageDecoder(MAPPER));
        small.writeInbound(Unpooled.copiedBuffer(utf8("{\"type\":\"big\",\"data\":\"" + "x".repeat(100) + "\"}\f" + GOOD + "\f")));
        DecodeFailure f = small.readInbound();
        assertThat(f.code()).isEqualTo(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE);
        assertThat(f.message()).contains("maxFrameLength=32");
        WireMessage ok = small.readInbound();
        assertThat(ok.type()).isEqualTo("ok");
        assertThat((Object) small.readInbound()).isNull();
        small.checkException();
        small.finishAndReleaseAll();
    }

    @Test
    void otherMessagesPassThroughUntouched() {
        Object marker = new Object();
        ch.pipeline().fireChannelRead(marker);
        assertThat((Object) ch.readInbound()).isSameAs(marker);
    }

    @Test
    void framesAreReleasedByTheDecoder() {
        EmbeddedChannel only = new EmbeddedChannel(new MessageDecoder(MAPPER));
        ByteBuf good = Unpooled.copiedBuffer(utf8(GOOD));
        ByteBuf bad = Unpooled.copiedBuffer(utf8("nope"));
        ByteBuf badUtf8 = Unpooled.copiedBuffer(hex("ff"));
        only.writeInbound(good, bad, badUtf8, Unpooled.EMPTY_BUFFER);
        assertThat(good.refCnt()).isZero();
        assertThat(bad.refCnt()).isZero();
        assertThat(badUtf8.refCnt()).isZero();
        assertThat(((WireMessage) only.readInbound()).type()).isEqualTo("ok");
        assertThat(((DecodeFailure) only.readInbound()).code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_JSON);
        assertThat(((DecodeFailure) only.readInbound()).code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_UTF8);
        assertThat(((DecodeFailure) only.readInbound()).code()).isEqualTo(ProtocolErrorCode.ERR_IPC_INVALID_JSON);
        only.checkException();
        only.finishAndReleaseAll();
    }

    @Test
    void directBuffersDecodeToo() {
        EmbeddedChannel only = new EmbeddedChannel(new MessageDecoder(MAPPER));
        ByteBuf direct = Unpooled.directBuffer();
        direct.writeBytes(utf8("xx" + GOOD));
        direct.skipBytes(2);
        only.writeInbound(direct);
        WireMessage m = only.readInbound();
        assertThat(m.type()).isEqualTo("ok");
        only.checkException();
        only.finishAndReleaseAll();
    }

    /**
     * Nesting is limited (jipc raises Jackson's default of 500 to 1001: the envelope plus the 1000
     * levels {@link JsonStringify#MAX_DEPTH} lets jipc send); deeper
     * input must become a DecodeFailure (ERR_IPC_INVALID_JSON), never an exception or a
     * StackOverflowError escaping the pipeline. Depth 100 must still decode.
     */
    @Test
    void deeplyNestedPayloadIsAFailureNotAnException() {
        for (int depth : new int[] {2_000, 100_000}) {
            String nested = "[".repeat(depth) + "]".repeat(depth);
            DecodeFailure f = failure("{\"type\":\"deep\",\"data\":" + nested + "}", ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                "not valid JSON");
            assertThat(f.message()).contains("nesting depth", "1001");
            String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            failure("{\"type\":\"deep\",\"data\":" + objects + "}", ProtocolErrorCode.ERR_IPC_INVALID_JSON, "depth");
        }
        String ok = "[".repeat(100) + "]".repeat(100);
        assertThat(message("{\"type\":\"deep\",\"data\":" + ok + "}").data().isArray()).isTrue();
    }

    /**
     * The limit counts the envelope object: data may nest 1000 deep (what jipc itself may send,
     * {@link JsonStringify#MAX_DEPTH}), 1001 is refused. (Node's JSON.parse takes thousands of levels.)
     */
    @Test
    void nestingLimitBoundaryIs1000LevelsOfData() {
        String at = "[".repeat(1000) + "]".repeat(1000);
        assertThat(message("{\"type\":\"deep\",\"data\":" + at + "}").data().isArray()).isTrue();
        String over = "[".repeat(1001) + "]".repeat(1001);
        failure("{\"type\":\"deep\",\"data\":" + over + "}", ProtocolErrorCode.ERR_IPC_INVALID_JSON,
            "nesting depth (1002) exceeds the maximum allowed (1001");
    }

    @Test
    void longStringsAndNumbersWithinDefaultConstraints() {
        String big = "y".repeat(500_000);
        assertThat(message("{\"type\":\"s\",\"data\":\"" + big + "\"}").data().stringValue()).hasSize(500_000);
        String digits = "9".repeat(900);
        assertThat(message("{\"type\":\"n\",\"data\":" + digits + "}").data().isNumber()).isTrue();
    }
}
