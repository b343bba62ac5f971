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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decoding a frame before its delimiter is found ({@link MessageDecoder#decodeAhead}, used by {@link FrameSplitter}
 * when it decodes) must give exactly what searching for the delimiter and then decoding the frame gives: the same
 * messages, the same failures with the same texts, in the same order, for any chunking of the stream.
 */
@Timeout(60)
class DecodeAheadTest {
    private static final JsonMapper MAPPER = Defaults.jsonMapper();

    @AfterAll
    static void afterAll() {
        FrameSplitterTest.flushLeakReports();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Frames valid and not, each without its delimiter; some hold bytes a delimiter may begin with. */
    private static List<byte[]> frames(int seed) {
        List<byte[]> f = new ArrayList<>();
        f.add(utf8("{\"type\":\"a\",\"data\":1}"));
        f.add(utf8(" \t{\"type\":\"spaced\",\"data\":[1,2,{\"x\":null}]}\r\n "));
        f.add(utf8("{\"data\":{\"id\":\"w-1\",\"n\":-0.5e3},\"type\":\"hello\"}"));
        f.add(utf8("{\"type\":\"t\",\"type\":\"twice\",\"data\":\"é😀 \\f \\u000c \\n\"}"));
        f.add(utf8("{\"type\":\"big\",\"data\":" + "9".repeat(30) + "}"));
        f.add(utf8("{\"type\":\"" + "p".repeat(300) + "\",\"data\":\"" + "q".repeat(2000) + "\"}"));
        f.add(utf8("{\"type\":\"raw\u000bcontrol\"}"));
        f.add(utf8("{\"type\":\"ff\u000cinside\"}"));
        f.add(utf8("{\"type\":\"soh\u0001inside\"}"));
        f.add(utf8("{\"type\":\"a\"}\u0001x"));
        f.add(utf8("{\"type\":\"a\"} x"));
        f.add(utf8("{\"type\":1}"));
        f.add(utf8("{\"data\":1}"));
        f.add(utf8("[1,2]"));
        f.add(utf8("\"text\""));
        f.add(utf8(""));
        f.add(utf8("   "));
        f.add(utf8("{\"type\":\"a\""));
        f.add(utf8("{\"type\":\"a\",}"));
        f.add(utf8("\uFEFF{\"type\":\"bom\"}"));
        f.add(utf8("\u0000{\"type\":\"nul\"}"));
        f.add(utf8("{\"type\":\"nul\u0000\"}"));
        f.add(new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, '(', '"', '}'});
        f.add(utf8("[".repeat(1200) + "]".repeat(1200)));
        f.add(utf8("{\"type\":\"deep\",\"data\":" + "[".repeat(400) + "]".repeat(400) + "}"));
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20; i++) {
            f.add(utf8("{\"type\":\"r" + i + "\",\"data\":{\"seq\":" + r.nextInt() + ",\"pad\":\""
                + "x".repeat(r.nextInt(200)) + "\"}}"));
        }
        return f;
    }

    private static byte[] stream(List<byte[]> frames, byte[] delimiter, SplittableRandom r, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(frames.get(r.nextInt(frames.size())));
            out.writeBytes(delimiter);
        }
        out.writeBytes(frames.get(0)); // an incomplete last frame stays pending in both
        return out.toByteArray();
    }

    /** Feeds {@code data} in the given chunk sizes (heap and direct buffers by turns) and renders what comes out. */
    private static List<String> run(EmbeddedChannel ch, byte[] data, int[] chunks, boolean decode) {
        List<String> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < data.length; i++) {
            int n = Math.min(chunks[i % chunks.length], data.length - at);
            ByteBuf b = i % 2 == 0 ? Unpooled.copiedBuffer(data, at, n) : Unpooled.directBuffer(n).writeBytes(data, at, n);
            ch.writeInbound(b);
            at += n;
            for (Object m; (m = ch.readInbound()) != null; ) {
                try {
                    out.add(render(decode && m instanceof ByteBuf buf ? MessageDecoder.decode(buf, MAPPER) : m));
                } finally {
                    ReferenceCountUtil.release(m);
                }
            }
        }
        ch.checkException();
        ch.finishAndReleaseAll();
        return out;
    }

    private static String render(Object m) {
        if (m instanceof WireMessage w) {
            return "message " + w.type() + " " + w.data() + " id=" + w.dataId();
        }
        if (m instanceof DecodeFailure f) {
            return "failure " + f.code() + " " + f.message();
        }
        throw new AssertionError("unexpected inbound message " + m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\f", "\f\f", "\u0001\u0002", "\u000b", "\u001f\f", "\n", "#"})
    void decodingAheadGivesWhatSearchingThenDecodingGives(String delimiterText) {
        byte[] delimiter = utf8(delimiterText);
        SplittableRandom r = new SplittableRandom(delimiterText.hashCode());
        List<byte[]> frames = frames(delimiterText.hashCode());
        for (int max : new int[] {64, 3000, 1 << 20}) {
            byte[] data = stream(frames, delimiter, r, 200);
            byte[] shortData = stream(frames, delimiter, r, 40);
            for (int[] chunks : new int[][] {{data.length}, {1}, {7, 1, 300}, {4096}, {r.nextInt(1, 50), r.nextInt(1, 9000)}}) {
                byte[] in = chunks[0] == 1 ? shortData : data;
                List<String> expected = run(new EmbeddedChannel(new FrameSplitter(delimiter, max, 0)), in, chunks, true);
                List<String> actual = run(new EmbeddedChannel(new FrameSplitter(delimiter, max, 0, MAPPER)), in, chunks, false);
                assertThat(actual).as("delimiter %s, maxFrameLength %d, chunks %s", delimiterText.codePointAt(0), max,
                    java.util.Arrays.toString(chunks)).isEqualTo(expected);
                assertThat(expected).hasSizeGreaterThan(chunks[0] == 1 ? 30 : 150);
            }
        }
    }

    @Test
    void onlyDelimitersThatNoJsonTextHoldsAreDecodedAhead() {
        assertThat(MessageDecoder.decodesAhead(utf8("\f"))).isTrue();
        assertThat(MessageDecoder.decodesAhead(utf8("\u0000"))).isTrue();
        assertThat(MessageDecoder.decodesAhead(utf8("\u001f#"))).isTrue();
        assertThat(MessageDecoder.decodesAhead(utf8("\n"))).isFalse();
        assertThat(MessageDecoder.decodesAhead(utf8("\r\n"))).isFalse();
        assertThat(MessageDecoder.decodesAhead(utf8("\t"))).isFalse();
        assertThat(MessageDecoder.decodesAhead(utf8("#"))).isFalse();
        assertThat(MessageDecoder.decodesAhead(utf8("\u007f"))).isFalse();
        assertThat(MessageDecoder.decodesAhead(utf8("é"))).isFalse();
    }

    @Test
    void aFrameIsFoundWhereItsJsonAndTheWhitespaceAfterItEnd() {
        byte[] text = utf8("xx{\"type\":\"a\",\"data\":[1]} \r\n\f{\"type\":\"b\"}\f");
        int[] end = new int[1];
        WireMessage m = MessageDecoder.decodeAhead(text, 2, text.length, utf8("\f"), MAPPER, end, null);
        assertThat(m.type()).isEqualTo("a");
        assertThat(m.data().toString()).isEqualTo("[1]");
        assertThat(text[end[0]]).isEqualTo((byte) '\f');
        WireMessage next = MessageDecoder.decodeAhead(text, end[0] + 1, text.length, utf8("\f"), MAPPER, end, null);
        assertThat(next.type()).isEqualTo("b");
        assertThat(end[0]).isEqualTo(text.length - 1);
    }

    @Test
    void anIncompleteOrFaultyFrameIsLeftToTheSearchWithHowFarItHoldsNoDelimiter() {
        int[] end = new int[1];
        byte[] incomplete = utf8("{\"type\":\"a\",\"data\":\"" + "z".repeat(100));
        assertThat(MessageDecoder.decodeAhead(incomplete, 0, incomplete.length, utf8("\f"), MAPPER, end, null)).isNull();
        assertThat(end[0]).isEqualTo(incomplete.length);

        byte[] inString = utf8("{\"type\":\"a\f\"}\f");
        assertThat(MessageDecoder.decodeAhead(inString, 0, inString.length, utf8("\f"), MAPPER, end, null)).isNull();
        assertThat(end[0]).isEqualTo(10);

        byte[] notMessage = utf8("{\"type\":2}\f");
        assertThat(MessageDecoder.decodeAhead(notMessage, 0, notMessage.length, utf8("\f"), MAPPER, end, null)).isNull();
        assertThat(end[0]).isLessThanOrEqualTo(notMessage.length - 1);

        byte[] partialDelimiter = utf8("{\"type\":\"a\"}\f");
        assertThat(MessageDecoder.decodeAhead(partialDelimiter, 0, partialDelimiter.length, utf8("\f\f"), MAPPER, end, null))
            .isNull();
        assertThat(end[0]).isEqualTo(partialDelimiter.length - 1);
    }
}
