package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FrameSplitter} on an {@link EmbeddedChannel}: golden frames, every chunking of a stream,
 * single- and multi-byte delimiters (including one whose prefix repeats), empty frames, oversized
 * frames (whole and streamed, with bounded memory) and pending partial frames.
 *
 * <p>Every emitted frame is rendered to a string and released at once; failures are rendered as
 * {@link #TOO_LARGE}. Each channel is closed with {@code finishAndReleaseAll()}.
 */
@Timeout(60)
class FrameSplitterTest {
    /** How an emitted {@link DecodeFailure}(ERR_IPC_FRAME_TOO_LARGE) is rendered by {@link #drain}. */
    static final String TOO_LARGE = "<TOO_LARGE>";

    private static final String FF = "\f";
    private static final String CRLF = "\r\n";
    private static final String D123 = "\u0001\u0002\u0003";
    private static final String D112 = "\u0001\u0001\u0002";

    // ---------------------------------------------------------------- helpers

    /**
     * Gives Netty's (paranoid) leak detector a chance to report buffers that were never released:
     * reports happen when a new buffer is tracked after the leaked one was collected.
     */
    static void flushLeakReports() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int k = 0; k < 50; k++) {
                ByteBufAllocator.DEFAULT.buffer(16).release();
                Unpooled.buffer(16).release();
            }
        }
    }

    @AfterAll
    static void afterAll() {
        flushLeakReports();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static EmbeddedChannel channel(String delimiter, int max) {
        return new EmbeddedChannel(new FrameSplitter(bytes(delimiter), max));
    }

    static void write(EmbeddedChannel ch, byte[] data, int from, int to) {
        if (to > from) {
            ch.writeInbound(Unpooled.copiedBuffer(data, from, to - from));
        }
    }

    /** Reads every inbound message, renders it and releases it. */
    static List<String> drain(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            try {
                if (m instanceof ByteBuf buf) {
                    out.add(buf.toString(StandardCharsets.ISO_8859_1));
                } else if (m instanceof DecodeFailure f) {
                    assertThat(f.code()).isEqualTo(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE);
                    assertThat(f.message()).contains("maxFrameLength");
                    out.add(TOO_LARGE);
                } else {
                    throw new AssertionError("unexpected inbound message " + m);
                }
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
        return out;
    }

    static void finish(EmbeddedChannel ch) {
        ch.checkException();
        ch.finishAndReleaseAll();
    }

    /**
     * Reference splitter: leftmost occurrences of the delimiter; frames longer than max become
     * {@link #TOO_LARGE}; a trailing incomplete frame is not emitted. Works on ISO-8859-1 strings,
     * i.e. one char per byte.
     */
    static List<String> reference(String stream, String delimiter, int max) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int at; (at = stream.indexOf(delimiter, from)) >= 0; from = at + delimiter.length()) {
            String frame = stream.substring(from, at);
            out.add(frame.length() > max ? TOO_LARGE : frame);
        }
        return out;
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] join(List<String> frames, String delimiter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String f : frames) {
            out.writeBytes(f.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(delimiter.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static final Method INTERNAL_BUFFER;

    static {
        try {
            INTERNAL_BUFFER = ByteToMessageDecoder.class.getDeclaredMethod("internalBuffer");
            INTERNAL_BUFFER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The decoder's cumulation ({@code ByteToMessageDecoder.internalBuffer()} is protected). */
    static ByteBuf cumulation(EmbeddedChannel ch) {
        try {
            return (ByteBuf) INTERNAL_BUFFER.invoke(ch.pipeline().get(FrameSplitter.class));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Feeds {@code stream} in two writes split at {@code cut}, returns what came out. */
    static List<String> splitAt(byte[] stream, int cut, String delimiter, int max) {
        EmbeddedChannel ch = channel(delimiter, max);
        try {
            List<String> got = new ArrayList<>();
            write(ch, stream, 0, cut);
            got.addAll(drain(ch));
            write(ch, stream, cut, stream.length);
            got.addAll(drain(ch));
            return got;
        } finally {
            finish(ch);
        }
    }

    static List<String> chunked(byte[] stream, int[] cuts, String delimiter, int max) {
        EmbeddedChannel ch = channel(delimiter, max);
        try {
            List<String> got = new ArrayList<>();
            int from = 0;
            for (int cut : cuts) {
                write(ch, stream, from, cut);
                got.addAll(drain(ch));
                from = cut;
            }
            write(ch, stream, from, stream.length);
            got.addAll(drain(ch));
            return got;
        } finally {
            finish(ch);
        }
    }

    static List<String> oneBytePerWrite(byte[] stream, String delimiter, int max) {
        int[] cuts = new int[stream.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i;
        }
        return chunked(stream, cuts, delimiter, max);
    }

    /** Frames (ISO-8859-1 text, byte = char) chosen to stress the given delimiter. */
    static List<String> framesFor(String delimiter) {
        List<String> frames = new ArrayList<>(List.of(
            "{\"type\":\"a\",\"data\":1}", "", "x", "", "",
            "h\u00c3\u00a9llo \u00f0\u009f\u0098\u0080", // "héllo 😀" as UTF-8 bytes
            "\r", "\n", "\n\r", "\u0001", "\u0002\u0003", "\u0001\u0002", "\u0003\u0001",
            "a\u0001\u0001", "\u0001\u0001\u0001", "\u0002\u0001\u0001\u0001\u0003",
            "z".repeat(40)));
        // keep only frames that do not contain the delimiter and split back as themselves
        frames.removeIf(f -> f.contains(delimiter) || !reference(f + delimiter, delimiter, Integer.MAX_VALUE).equals(List.of(f)));
        return frames;
    }

    // ---------------------------------------------------------------- constructor

    @Test
    void emptyDelimiterIsRejected() {
        assertThatThrownBy(() -> new FrameSplitter(new byte[0], 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delimiterArrayIsCopied() {
        byte[] d = bytes(FF);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameSplitter(d, 100));
        d[0] = '|';
        ch.writeInbound(Unpooled.copiedBuffer(bytes("a|b\f")));
        assertThat(drain(ch)).containsExactly("a|b");
        finish(ch);
    }

    // ---------------------------------------------------------------- golden frames

    @Test
    void goldenFramesFormFeed() {
        EmbeddedChannel ch = channel(FF, 1024);
        ch.writeInbound(Unpooled.copiedBuffer(bytes("{\"type\":\"hello\",\"data\":{\"id\":\"w\"}}\f")));
        assertThat(drain(ch)).containsExactly("{\"type\":\"hello\",\"data\":{\"id\":\"w\"}}");
        ch.writeInbound(Unpooled.copiedBuffer(bytes("a\fbc\f\fdef")));
        assertThat(drain(ch)).containsExactly("a", "bc", "");
        ch.writeInbound(Unpooled.copiedBuffer(bytes("\f")));
        assertThat(drain(ch)).containsExactly("def");
        finish(ch);
    }

    @Test
    void emittedFramesAreByteBufsWithDelimiterRemovedAndUtf8Intact() {
        EmbeddedChannel ch = channel(CRLF, 1024);
        byte[] payload = bytes("{\"type\":\"é😀\u2028\"}");
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(payload);
        in.writeBytes(bytes(CRLF));
        ch.writeInbound(Unpooled.copiedBuffer(in.toByteArray()));
        ByteBuf frame = ch.readInbound();
        try {
            assertThat(frame.readableBytes()).isEqualTo(payload.length);
            byte[] got = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), got);
            assertThat(got).isEqualTo(payload);
        } finally {
            ReferenceCountUtil.release(frame);
        }
        assertThat((Object) ch.readInbound()).isNull();
        finish(ch);
    }

    @Test
    void manyFramesInOneWrite() {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            frames.add("{\"type\":\"m\",\"data\":" + i + "}");
        }
        for (String d : List.of(FF, CRLF, D123, D112)) {
            EmbeddedChannel ch = channel(d, 64);
            ch.writeInbound(Unpooled.copiedBuffer(join(frames, d)));
            assertThat(drain(ch)).as("delimiter %s", Arrays.toString(bytes(d))).isEqualTo(frames);
            finish(ch);
        }
    }

    @Test
    void emptyFramesAreEmittedAsEmptyBuffers() {
        EmbeddedChannel ch = channel(FF, 16);
        ch.writeInbound(Unpooled.copiedBuffer(bytes("\f\f")));
        for (int i = 0; i < 2; i++) {
            Object m = ch.readInbound();
            try {
                assertThat(m).isInstanceOf(ByteBuf.class);
                assertThat(((ByteBuf) m).readableBytes()).isZero();
            } finally {
                ReferenceCountUtil.release(m);
            }
        }
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(Unpooled.copiedBuffer(bytes("\fa\f\f")));
        assertThat(drain(ch)).containsExactly("", "a", "");
        finish(ch);

        EmbeddedChannel multi = channel(D112, 16);
        multi.writeInbound(Unpooled.copiedBuffer(bytes(D112 + D112 + "a" + D112)));
        assertThat(drain(multi)).containsExactly("", "", "a");
        finish(multi);
    }

    @Test
    void maxFrameLengthZeroAcceptsOnlyEmptyFrames() {
        EmbeddedChannel ch = channel(FF, 0);
        ch.writeInbound(Unpooled.copiedBuffer(bytes("\fa\f\fbb\f\f")));
        assertThat(drain(ch)).containsExactly("", TOO_LARGE, "", TOO_LARGE, "");
        finish(ch);
    }

    // ---------------------------------------------------------------- every chunking

    @ParameterizedTest(name = "delimiter #{index}")
    @ValueSource(strings = {FF, CRLF, D123, D112})
    void streamSplitAtEveryOffsetAndOneBytePerWrite(String delimiter) {
        List<String> frames = framesFor(delimiter);
        assertThat(frames).hasSizeGreaterThan(10);
        byte[] stream = join(frames, delimiter);
        assertThat(reference(latin1(stream), delimiter, Integer.MAX_VALUE)).isEqualTo(frames);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(splitAt(stream, cut, delimiter, 1024)).as("cut at %d", cut).isEqualTo(frames);
        }
        assertThat(oneBytePerWrite(stream, delimiter, 1024)).isEqualTo(frames);
    }

    /** The delimiter \1\1\2 against input containing \1\1\1\2: the match must start one byte late. */
    @Test
    void repeatingPrefixDelimiterAgainstOverlappingInput() {
        byte[] stream = bytes("a\u0001\u0001\u0001\u0002b\u0001\u0001\u0001\u0001\u0002\u0001\u0001\u0002c\u0001\u0002\u0001\u0001\u0002");
        List<String> expected = List.of("a\u0001", "b\u0001\u0001", "", "c\u0001\u0002");
        assertThat(reference(latin1(stream), D112, 100)).isEqualTo(expected);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(splitAt(stream, cut, D112, 100)).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(oneBytePerWrite(stream, D112, 100)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "delimiter #{index}")
    @ValueSource(strings = {FF, CRLF, D123, D112})
    void randomChunkingsIncludingOversizedFrames(String delimiter) {
        int max = 30;
        List<String> frames = new ArrayList<>(framesFor(delimiter));
        frames.add(3, "y".repeat(max));          // exactly max: accepted
        frames.add(5, "y".repeat(max + 1));      // one over: refused
        frames.add(8, "q".repeat(5 * max));      // far over
        frames.add("\u0001".repeat(3 * max) + "w"); // far over, made of delimiter-prefix bytes
        frames.removeIf(f -> f.contains(delimiter));
        byte[] stream = join(frames, delimiter);
        List<String> expected = reference(latin1(stream), delimiter, max);
        assertThat(expected).contains(TOO_LARGE, "y".repeat(max));
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(splitAt(stream, cut, delimiter, max)).as("cut at %d", cut).isEqualTo(expected);
        }
        assertThat(oneBytePerWrite(stream, delimiter, max)).isEqualTo(expected);
        SplittableRandom rnd = new SplittableRandom(42);
        for (int round = 0; round < 100; round++) {
            int[] cuts = rnd.ints(rnd.nextInt(1, 12), 0, stream.length + 1).sorted().toArray();
            assertThat(chunked(stream, cuts, delimiter, max)).as("cuts %s", Arrays.toString(cuts)).isEqualTo(expected);
        }
    }

    // ---------------------------------------------------------------- max frame length

    @ParameterizedTest(name = "delimiter #{index}")
    @ValueSource(strings = {FF, CRLF, D123, D112})
    void frameOfExactlyMaxLengthIsAcceptedEvenWhenStreamedByteByByte(String delimiter) {
        int max = 50;
        String atMax = "k".repeat(max);
        String endsInPrefix = "k".repeat(max - 2) + delimiter.substring(0, delimiter.length() - 1)
            + "k".repeat(Math.max(0, 2 - (delimiter.length() - 1)));
        List<String> frames = List.of(atMax, endsInPrefix.substring(0, max), "ok");
        byte[] stream = join(frames, delimiter);
        List<String> expected = reference(latin1(stream), delimiter, max);
        assertThat(expected).doesNotContain(TOO_LARGE);
        assertThat(oneBytePerWrite(stream, delimiter, max)).isEqualTo(expected);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertThat(splitAt(stream, cut, delimiter, max)).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "delimiter #{index}")
    @ValueSource(strings = {FF, CRLF, D123, D112})
    void oversizedFrameArrivingWholeGivesOneFailureThenNextFrameArrives(String delimiter) {
        int max = 100;
        EmbeddedChannel ch = channel(delimiter, max);
        ch.writeInbound(Unpooled.copiedBuffer(join(List.of("x".repeat(max + 1), "good", "x".repeat(10 * max), "next"), delimiter)));
        assertThat(drain(ch)).containsExactly(TOO_LARGE, "good", TOO_LARGE, "next");
        finish(ch);
    }

    @Test
    void hugeMaxFrameLengthWithSingleByteDelimiter() {
        EmbeddedChannel ch = channel(FF, Integer.MAX_VALUE);
        ch.writeInbound(Unpooled.copiedBuffer(bytes("abc")));
        assertThat(drain(ch)).isEmpty();
        ch.writeInbound(Unpooled.copiedBuffer(bytes("\f")));
        assertThat(drain(ch)).containsExactly("abc");
        finish(ch);
    }

    /**
     * The "no delimiter yet" check computes {@code maxFrameLength + delimiter.length - 1} in int
     * arithmetic; with a limit near Integer.MAX_VALUE and a delimiter of 2+ bytes it overflows to a
     * negative number and every partial frame is reported as too large. IpcConfig allows
     * maxFrameLength up to Integer.MAX_VALUE - 16 and any delimiter length, so
     * {@code maxFrameLength(Integer.MAX_VALUE - 16)} with an 18-byte delimiter reaches it too.
     */
    @Test
    void hugeMaxFrameLengthWithMultiByteDelimiterDoesNotOverflow() {
        for (int[] c : new int[][] {{Integer.MAX_VALUE, 2}, {Integer.MAX_VALUE - 16, 18}}) {
            String delimiter = "\u0001".repeat(c[1] - 1) + "\u0002";
            EmbeddedChannel ch = channel(delimiter, c[0]);
            try {
                ch.writeInbound(Unpooled.copiedBuffer(bytes("abc")));
                assertThat(drain(ch)).as("max=%d delimiter length=%d", c[0], c[1]).isEmpty();
                ch.writeInbound(Unpooled.copiedBuffer(bytes(delimiter + "de" + delimiter)));
                assertThat(drain(ch)).containsExactly("abc", "de");
                ch.checkException();
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    @Test
    void oversizedFailureNamesTheLimit() {
        EmbeddedChannel ch = channel(FF, 10);
        ch.writeInbound(Unpooled.copiedBuffer(bytes("0123456789A\f")));
        DecodeFailure f = ch.readInbound();
        assertThat(f.code()).isEqualTo(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE);
        assertThat(f.message()).contains("maxFrameLength=10").contains("11 bytes");
        finish(ch);
    }

    @ParameterizedTest(name = "delimiter #{index}")
    @ValueSource(strings = {FF, CRLF, D123, D112})
    void oversizedFrameStreamingInSmallChunksKeepsMemoryBounded(String delimiter) {
        int max = 1024;
        int chunk = 100;
        EmbeddedChannel ch = channel(delimiter, max);
        List<String> got = new ArrayList<>();
        ch.writeInbound(Unpooled.copiedBuffer(join(List.of("before"), delimiter)));
        got.addAll(drain(ch));
        byte[] piece = new byte[chunk];
        // filler made of the delimiter's first byte and junk, never the whole delimiter
        for (int i = 0; i < chunk; i++) {
            piece[i] = (i % 3 != 0 && delimiter.length() > 1) ? bytes(delimiter)[0] : (byte) 'j';
        }
        assertThat(latin1(piece)).doesNotContain(delimiter);
        int maxReadable = 0;
        int maxCapacity = 0;
        for (int i = 0; i < 600; i++) { // 60 KB, ~60 x maxFrameLength, no delimiter
            ch.writeInbound(Unpooled.copiedBuffer(piece));
            got.addAll(drain(ch));
            ByteBuf cum = cumulation(ch);
            maxReadable = Math.max(maxReadable, cum.readableBytes());
            maxCapacity = Math.max(maxCapacity, cum.capacity());
            assertThat(cum.readableBytes()).as("after chunk %d", i).isLessThanOrEqualTo(max + chunk);
        }
        assertThat(got).containsExactly("before", TOO_LARGE);
        assertThat(maxCapacity).as("cumulation capacity").isLessThanOrEqualTo(4 * (max + chunk) + 4096);
        // the delimiter split across two writes ends the oversized frame; the next frame arrives
        byte[] tail = join(List.of("tail", "after", "partial-no-delim"), delimiter);
        int split = "tail".length() + 1;
        write(ch, tail, 0, split);
        write(ch, tail, split, tail.length - delimiter.length());
        got.addAll(drain(ch));
        assertThat(got).containsExactly("before", TOO_LARGE, "after");
        assertThat(maxReadable).isGreaterThan(0);
        finish(ch);
    }

    @Test
    void partialFrameAtEndStaysPendingAndCompletesLater() {
        for (String d : List.of(FF, CRLF, D123, D112)) {
            EmbeddedChannel ch = channel(d, 1024);
            ch.writeInbound(Unpooled.copiedBuffer(bytes("{\"type\":\"p\"}" + d + "{\"type\":\"q\"")));
            assertThat(drain(ch)).containsExactly("{\"type\":\"p\"}");
            for (int i = 0; i < 5; i++) { // nothing more without the delimiter, however often we look
                ch.runPendingTasks();
                assertThat((Object) ch.readInbound()).isNull();
            }
            if (d.length() > 1) { // only part of the delimiter: still pending
                ch.writeInbound(Unpooled.copiedBuffer(bytes("}" + d.substring(0, d.length() - 1))));
                assertThat((Object) ch.readInbound()).isNull();
                ch.writeInbound(Unpooled.copiedBuffer(bytes(d.substring(d.length() - 1))));
            } else {
                ch.writeInbound(Unpooled.copiedBuffer(bytes("}" + d)));
            }
            assertThat(drain(ch)).containsExactly("{\"type\":\"q\"}");
            // a pending partial frame at close is dropped without emitting or leaking
            ch.writeInbound(Unpooled.copiedBuffer(bytes("{\"type\":\"r\"")));
            assertThat(ch.finish()).isFalse();
            assertThat((Object) ch.readInbound()).isNull();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void largeFrameOneBytePerWriteIsLinearEnough() {
        int size = 50_000;
        byte[] stream = new byte[size + 1];
        Arrays.fill(stream, (byte) 'a');
        stream[size] = '\f';
        EmbeddedChannel ch = channel(FF, size);
        long t0 = System.nanoTime();
        for (int i = 0; i < stream.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(stream, i, 1));
        }
        ByteBuf frame = ch.readInbound();
        try {
            assertThat(frame.readableBytes()).isEqualTo(size);
        } finally {
            frame.release();
        }
        assertThat(System.nanoTime() - t0).as("ns for %d one-byte writes", stream.length).isLessThan(20_000_000_000L);
        finish(ch);
    }
}
