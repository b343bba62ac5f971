package io.jipc.resilience;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.FrameSplitter;
import io.jipc.internal.codec.JsonTreeParser;
import io.jipc.internal.codec.MessageDecoder;
import io.jipc.internal.codec.MessagePolicyHandler;
import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.config.Defaults;
import io.jipc.internal.config.ProtocolPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The decoder property checked by the fuzzers ({@link DecoderFuzzTest}: Jazzer, coverage-guided;
 * {@link DecoderMutationTest}: seeded, in-suite). One input is one byte stream pushed through the
 * production inbound chain {@code FrameSplitter('\f', 4096, 0) → MessageDecoder → MessagePolicyHandler}
 * on an {@link EmbeddedChannel}, several times with different chunkings.
 *
 * <p><b>Input layout.</b> Byte 0 selects the policy (bits 0–1), heap or direct input buffers (bit 2),
 * a heap or direct cumulation allocator (bit 3); byte 1 seeds the chunk sizes; the rest is the stream.
 * Inputs shorter than 2 bytes are streams of their own with control 0.
 *
 * <p><b>Properties</b> (any violation throws {@link AssertionError}):
 * <ol>
 *   <li>no exception escapes the pipeline ({@code EmbeddedChannel} rethrows what reached its tail);</li>
 *   <li>every output is a {@link WireMessage} (non-null type and data) or a {@link DecodeFailure}
 *       (non-null code and message) — no frame {@code ByteBuf} or anything else leaks through;</li>
 *   <li>every input buffer, and every cumulation buffer the splitter used, has refCnt 0 after
 *       {@code finish()}/{@code finishAndReleaseAll()}, and nothing is left in the channel;</li>
 *   <li>after every chunk the splitter retains at most {@code maxFrameLength + chunk} readable bytes
 *       (the brief's bound; the tighter {@code maxFrameLength + delimiter − 1} the code promises is
 *       checked too);</li>
 *   <li>the outputs match an independent model ({@link #model}): one output per frame (and one for an
 *       unterminated tail over maxFrameLength), the same {@link WireMessage} or the same failure code as
 *       splitting by hand, strict UTF-8 decoding to a string and parsing that string (what a Node peer's
 *       {@code JSON.parse} sees);</li>
 *   <li>the outputs do not depend on the chunking: whole stream, byte by byte (short streams) and
 *       a random chunking (byte 1 picks mostly-small chunks or chunks up to 3 × maxFrameLength) give the
 *       same messages and the same failures, messages included (except the byte count in "frame too large").</li>
 * </ol>
 */
final class DecoderHarness {
    static final byte[] DELIMITER = {'\f'};
    static final int MAX_FRAME = 4096;
    /** Streams up to 32 bytes, and one in 16 up to this length (chosen by byte 1), are also pushed one byte per read. */
    static final int BYTEWISE_LIMIT = 1024;

    /** FAST (no checks), GUARDED-like (name length, reserved names), and an allow-list with a short name limit. */
    static final List<ProtocolPolicy> POLICIES = List.of(
        new ProtocolPolicy(false, 0, false, null, 0, false),
        new ProtocolPolicy(true, 256, true, null, 0, true),
        new ProtocolPolicy(true, 16, true, Set.of("m", "message", "seq", "a", "\u00e9"), 0, true),
        new ProtocolPolicy(false, 1, false, null, 0, false));

    private static final Method INTERNAL_BUFFER;

    static {
        try {
            INTERNAL_BUFFER = ByteToMessageDecoder.class.getDeclaredMethod("internalBuffer");
            INTERNAL_BUFFER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // statistics, for reports
    static final AtomicLong INPUTS = new AtomicLong();
    static final AtomicLong BYTES = new AtomicLong();
    static final AtomicLong RUNS = new AtomicLong();
    static final AtomicLong CHUNKS = new AtomicLong();
    static final AtomicLong MESSAGES = new AtomicLong();
    static final AtomicLong MAX_RETAINED = new AtomicLong();
    static final AtomicLong MAX_CAPACITY = new AtomicLong();
    static final Map<ProtocolErrorCode, AtomicLong> FAILURES = Collections.synchronizedMap(new EnumMap<>(ProtocolErrorCode.class));

    private DecoderHarness() {
    }

    /** Checks every property for one fuzz input; throws {@link AssertionError} on a violation. */
    static void check(byte[] input) {
        INPUTS.incrementAndGet();
        int control = input.length >= 2 ? input[0] & 0xFF : 0;
        int chunkSeed = input.length >= 2 ? input[1] & 0xFF : 0;
        byte[] stream = input.length >= 2 ? Arrays.copyOfRange(input, 2, input.length) : input;
        ProtocolPolicy policy = POLICIES.get(control & 3);
        boolean directInput = (control & 4) != 0;
        boolean directCumulation = (control & 8) != 0;
        BYTES.addAndGet(stream.length);

        List<Expected> expected = model(stream, policy);
        int[] whole = stream.length == 0 ? new int[0] : new int[] {stream.length};
        List<Object> reference = run(stream, whole, policy, directInput, directCumulation);
        verify(expected, reference, null, "whole stream", input);
        if (stream.length <= 32 || (stream.length <= BYTEWISE_LIMIT && (chunkSeed & 15) == 0)) {
            int[] ones = new int[stream.length];
            Arrays.fill(ones, 1);
            verify(expected, run(stream, ones, policy, !directInput, directCumulation), reference, "byte by byte", input);
        }
        SplittableRandom random = new SplittableRandom(chunkSeed * 0x9E3779B97F4A7C15L ^ Arrays.hashCode(stream));
        boolean small = (chunkSeed & 1) == 0;
        verify(expected, run(stream, chunks(stream.length, random, small ? 512 : 3 * MAX_FRAME), policy, !directInput,
            !directCumulation), reference, small ? "small random chunks" : "large random chunks", input);
    }

    // ---------------------------------------------------------------- reference model

    /**
     * What one output should be: {@code frame == null} for a frame over maxFrameLength (a FRAME_TOO_LARGE
     * failure); otherwise the frame and either the {@link WireMessage} or the {@link ProtocolErrorCode}.
     */
    record Expected(byte[] frame, Object outcome) {
    }

    /**
     * An independent model of the chain: split at every delimiter; a frame over maxFrameLength, and an
     * unterminated tail over it, give FRAME_TOO_LARGE; a shorter unterminated tail gives nothing. Each frame
     * is decoded as Node would see it: strict UTF-8 (RFC 3629) to a string, no BOM, then JSON from that
     * string (so no byte-encoding detection), object with a string {@code type}, then the policy.
     */
    static List<Expected> model(byte[] stream, ProtocolPolicy policy) {
        List<Expected> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] == DELIMITER[0]) {
                byte[] frame = Arrays.copyOfRange(stream, start, i);
                out.add(frame.length > MAX_FRAME ? new Expected(null, ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE)
                    : new Expected(frame, decodeAsNodeWould(frame, policy)));
                start = i + 1;
            }
        }
        if (stream.length - start > MAX_FRAME + DELIMITER.length - 1) {
            out.add(new Expected(null, ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE));
        }
        return out;
    }

    static Object decodeAsNodeWould(byte[] frame, ProtocolPolicy policy) {
        if (frame.length == 0) {
            return ProtocolErrorCode.ERR_IPC_INVALID_JSON;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(frame)).toString();
        } catch (CharacterCodingException e) {
            return ProtocolErrorCode.ERR_IPC_INVALID_UTF8;
        }
        if (text.startsWith("\uFEFF")) {
            return ProtocolErrorCode.ERR_IPC_INVALID_JSON;
        }
        JsonNode root;
        try {
            root = Defaults.jsonMapper().readTree(text);
        } catch (JacksonException e) {
            if (!String.valueOf(e.getMessage()).contains("surrogate")) {
                return ProtocolErrorCode.ERR_IPC_INVALID_JSON;
            }
            // Jackson refuses lone-surrogate escapes in property names, which JSON.parse accepts: for those
            // frames alone the model takes the decoder's parser (its surrogate handling is pinned by
            // JsonTreeParserTest against node's golden vectors)
            try {
                root = new JsonTreeParser(Defaults.jsonMapper()).parse(frame, 0, frame.length);
            } catch (JsonTreeParser.JsonSyntaxException notJson) {
                return ProtocolErrorCode.ERR_IPC_INVALID_JSON;
            }
        }
        if (root == null || root.isMissingNode()) {
            return ProtocolErrorCode.ERR_IPC_INVALID_JSON;
        }
        if (!root.isObject()) {
            return ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE;
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isString()) {
            return ProtocolErrorCode.ERR_IPC_INVALID_EVENT;
        }
        JsonNode data = root.get("data");
        WireMessage m = new WireMessage(type.asString(), data == null ? MissingNode.getInstance() : data);
        DecodeFailure refused = MessagePolicyHandler.check(policy, m.type(), "received");
        return refused != null ? refused.code() : m;
    }

    private static void verify(List<Expected> expected, List<Object> got, List<Object> whole, String how, byte[] input) {
        String problem = null;
        int at = -1;
        if (expected.size() != got.size()) {
            problem = "expected " + expected.size() + " outputs, got " + got.size();
        } else {
            for (int i = 0; i < expected.size() && problem == null; i++) {
                Expected e = expected.get(i);
                Object g = got.get(i);
                at = i;
                if (e.frame() == null) {
                    if (!(g instanceof DecodeFailure f && f.code() == ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE)) {
                        problem = "expected FRAME_TOO_LARGE";
                    }
                } else if (e.outcome() instanceof WireMessage m) {
                    if (!m.equals(g)) {
                        problem = "expected " + m;
                    }
                } else if (!(g instanceof DecodeFailure f && f.code() == e.outcome())) {
                    problem = "expected failure " + e.outcome();
                } else if (whole != null && !g.equals(whole.get(i))) {
                    problem = "failure message differs from the whole-stream run: " + whole.get(i);
                }
            }
        }
        if (problem != null) {
            throw new AssertionError("decoder output (" + how + ") does not match the model: " + problem
                + (at >= 0 ? " at output #" + at + " (got " + render(List.of(got.get(at))) + ")" : "")
                + "\n model: " + renderExpected(expected) + "\n got:   " + render(got)
                + "\n input (" + input.length + " bytes): " + preview(input));
        }
    }

    private static String renderExpected(List<Expected> expected) {
        List<Object> out = new ArrayList<>();
        for (Expected e : expected) {
            out.add(e.outcome());
        }
        return render(out);
    }

    /** Random chunk sizes (at least 1, at most {@code max}) covering {@code length} bytes. */
    static int[] chunks(int length, SplittableRandom random, int max) {
        List<Integer> sizes = new ArrayList<>();
        int left = length;
        while (left > 0) {
            int size = random.nextInt(4) == 0 ? 1 + random.nextInt(Math.min(max, left))
                : 1 + random.nextInt(Math.min(Math.max(1, max / 8), left));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Pushes {@code stream} in the given chunks and returns the rendered outputs. */
    static List<Object> run(byte[] stream, int[] chunkSizes, ProtocolPolicy policy, boolean directInput,
                            boolean directCumulation) {
        RUNS.incrementAndGet();
        FrameSplitter splitter = new FrameSplitter(DELIMITER, MAX_FRAME, 0, Defaults.jsonMapper()); // as Pipelines sets it up
        EmbeddedChannel channel = new EmbeddedChannel();
        // leak detection off for these buffers (refCnt is checked explicitly below); keeps the loop fast
        // under the suite's paranoid leak detector
        channel.config().setAllocator(new UnpooledByteBufAllocator(directCumulation, true));
        channel.pipeline().addLast(splitter, new MessageDecoder(Defaults.jsonMapper()), new MessagePolicyHandler(policy));
        List<ByteBuf> inputs = new ArrayList<>();
        Set<ByteBuf> cumulations = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> out = new ArrayList<>();
        int offset = 0;
        ByteBuffer direct = null;
        if (directInput && stream.length > 0) {
            direct = ByteBuffer.allocateDirect(stream.length);
            direct.put(stream).clear();
        }
        try {
            for (int size : chunkSizes) {
                ByteBuf chunk = direct != null ? Unpooled.wrappedBuffer(direct.slice(offset, size))
                    : Unpooled.wrappedBuffer(Arrays.copyOfRange(stream, offset, offset + size));
                offset += size;
                inputs.add(chunk);
                CHUNKS.incrementAndGet();
                channel.writeInbound(chunk); // rethrows whatever a handler threw
                ByteBuf retained = internalBuffer(splitter);
                if (retained.refCnt() > 0 && retained.capacity() > 0) {
                    cumulations.add(retained);
                }
                int readable = retained.readableBytes();
                MAX_RETAINED.accumulateAndGet(readable, Math::max);
                MAX_CAPACITY.accumulateAndGet(retained.capacity(), Math::max);
                if (readable > (long) MAX_FRAME + size) {
                    throw new AssertionError("splitter retains " + readable + " bytes > maxFrameLength " + MAX_FRAME
                        + " + chunk " + size);
                }
                if (readable > MAX_FRAME + DELIMITER.length - 1) {
                    throw new AssertionError("splitter retains " + readable + " bytes > maxFrameLength + delimiter - 1");
                }
                drain(channel, out);
            }
            channel.finish();
            drain(channel, out);
        } finally {
            boolean leftOver = channel.finishAndReleaseAll();
            if (leftOver) {
                throw new AssertionError("messages left in the channel after finish()");
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).refCnt() != 0) {
                throw new AssertionError("input chunk " + i + " of " + inputs.size() + " not released: refCnt="
                    + inputs.get(i).refCnt());
            }
        }
        for (ByteBuf c : cumulations) {
            if (c.refCnt() != 0) {
                throw new AssertionError("cumulation buffer not released: refCnt=" + c.refCnt() + " " + c);
            }
        }
        return out;
    }

    private static ByteBuf internalBuffer(FrameSplitter splitter) {
        try {
            return (ByteBuf) INTERNAL_BUFFER.invoke(splitter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(EmbeddedChannel channel, List<Object> out) {
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            if (o instanceof WireMessage m) {
                if (m.type() == null || m.data() == null) {
                    throw new AssertionError("WireMessage with null part: " + m);
                }
                MESSAGES.incrementAndGet();
                out.add(m);
            } else if (o instanceof DecodeFailure f) {
                if (f.code() == null || f.message() == null || f.message().isEmpty()) {
                    throw new AssertionError("DecodeFailure with null part: " + f);
                }
                FAILURES.computeIfAbsent(f.code(), k -> new AtomicLong()).incrementAndGet();
                // the byte count in "frame too large" depends on where the chunks ended; the rest must not
                out.add(f.code() == ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE ? new DecodeFailure(f.code(), "") : f);
            } else {
                String kind = o.getClass().getName();
                io.netty.util.ReferenceCountUtil.release(o);
                throw new AssertionError("unexpected output " + kind + ": " + o);
            }
        }
    }

    /** Renders outputs for a message; payloads deeper than Jackson's write limit (500) are not printed. */
    private static String render(List<Object> outputs) {
        List<String> out = new ArrayList<>();
        for (Object o : outputs) {
            try {
                out.add(String.valueOf(o));
            } catch (RuntimeException e) {
                out.add(o instanceof WireMessage m ? "WireMessage[type=" + m.type() + ", data=<" + e + ">]" : "<" + e + ">");
            }
        }
        return out.toString();
    }

    static String preview(byte[] input) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(input.length, 200); i++) {
            int b = input[i] & 0xFF;
            sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return input.length > 200 ? sb + "…" : sb.toString();
    }

    /** One line of statistics. */
    static String stats() {
        return "inputs=" + INPUTS.get() + " streamBytes=" + BYTES.get() + " channelRuns=" + RUNS.get() + " chunks=" + CHUNKS.get() + " messages="
            + MESSAGES.get() + " failures=" + FAILURES + " maxRetainedReadable=" + MAX_RETAINED.get()
            + " maxCumulationCapacity=" + MAX_CAPACITY.get();
    }

    /** For seeds: the control bytes followed by the stream. */
    static byte[] withControl(int control, int chunkSeed, byte[] stream) {
        byte[] out = new byte[stream.length + 2];
        out[0] = (byte) control;
        out[1] = (byte) chunkSeed;
        System.arraycopy(stream, 0, out, 2, stream.length);
        return out;
    }
}
