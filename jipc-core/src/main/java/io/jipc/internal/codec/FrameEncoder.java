package io.jipc.internal.codec;

import io.jipc.internal.buffer.FrameScratch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.Closeable;
import java.util.stream.BaseStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;

/**
 * Builds the bytes of one framed message: {@code {"type":…,"data":…}} exactly as node-ipc's
 * {@code JSON.stringify} writes it, followed by the delimiter.
 *
 * <p>The reference path converts the payload to a Jackson tree ({@code valueToTree}), applies the
 * {@link PayloadRules} and writes it with {@link JsonStringify}. A Java object that is not a
 * {@link JsonNode} first takes the direct path: the mapper serializes it into a
 * {@link StringifyGenerator}, which writes the same bytes without the tree. That generator refuses
 * whatever could make the bytes differ (array-index or repeated property names, legacy rules that
 * would replace the payload, raw values, too deep nesting, …; see its Javadoc); the direct output is
 * then discarded and the payload goes through the tree path, so results and errors are always the
 * tree path's. Such a payload is serialized twice: its getters run twice, a serialization error
 * is reported by the second run, and a {@link java.util.stream.Stream} inside it is already consumed
 * (the second run fails). The direct path is off for a custom {@link JsonNodeFactory}, a stream
 * payload, and a {@link Closeable} payload under {@link SerializationFeature#CLOSE_CLOSEABLE} (only
 * {@code writeValue} closes it).
 *
 * When a payload falls back, the next payloads of the same class skip the direct path (retrying
 * every {@value #RETRY_EVERY}th), so a payload that always needs the tree costs little extra.
 *
 * <p>The direct path serializes with an {@link ObjectWriter} for the payload's class, kept in a small
 * per-encoder table, so the root serializer is looked up once per class rather than once per frame
 * ({@code writerFor} of the runtime class finds the same serializer as {@code writeValue}). For a plain
 * record under a default-configured mapper the table also holds a {@link RecordWriter}, which makes the
 * generator calls that serializer would make without going through Jackson (see there for when it applies).
 *
 * <p>Where the frame is built: unless custom framing is set, a frame expected to be at most
 * {@value #SCRATCH_HINT} bytes is built in the calling thread's {@link FrameScratch} (a reused, growable
 * heap buffer) and copied out at its exact size, up to 4 KiB into a recycled frame of that thread: once
 * warm, a small frame allocates nothing. Given a {@link FrameSink}, the scratch is first lent to the sink,
 * which may copy it where it goes (a connection's outbox) and so spare that copy. On a virtual thread, when
 * the scratch is already in use (an encode re-entered from a serializer), for larger frames and with custom
 * framing, the frame is built in a new buffer sized by the previous frame (a racy hint, capped): on the
 * heap whatever allocator is passed when
 * expected to be at most 2 KiB (measured on the flood benchmark, 100 B frames went from 278–343k to
 * 392–413k msgs/s this way), else from {@code alloc} (16 KiB frames were faster in pooled direct buffers:
 * 352 vs 217–334 MB/s).
 *
 * <p>Thread-safe: encoding may run on any thread, so callers encode on their own thread and hand
 * finished buffers to the event loop.
 */
public final class FrameEncoder {
    private static final byte[] TYPE_PREFIX = "{\"type\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DATA_PREFIX = ",\"data\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MIN_HINT = 64;
    /** Frames expected to be at most this long are built in unpooled heap buffers. */
    private static final int SMALL_FRAME = 2048;
    private static final ByteBufAllocator SMALL_FRAMES = new UnpooledByteBufAllocator(false);
    private static final int MAX_HINT = 64 * 1024;
    /** After a fallback, a payload of the same class tries the direct path again only every this many encodes. */
    private static final int RETRY_EVERY = 32;
    /**
     * Frames expected to be at most this long are built in the thread's scratch: well within what it keeps,
     * so a somewhat larger frame still does not make it drop its buffer.
     */
    private static final int SCRATCH_HINT = FrameScratch.MAX_KEPT / 2;
    /** Size of the table of root writers by payload class (a power of two). */
    private static final int WRITERS = 8;

    private final byte[] delimiter;
    private final PayloadRules rules;
    private final JsonMapper mapper;
    private final Framing framing;
    private final boolean legacy;
    /** Whether the direct path may be tried at all for this mapper. */
    private final boolean direct;
    /** Whether records may be written by a {@link RecordWriter} ({@link RecordWriter#supports} the mapper). */
    private final boolean recordWriters;
    /** Set by tests only, before any encode: see {@link #jacksonOnly()}. */
    private boolean jacksonOnly;
    /** Whether a {@link Closeable} payload must avoid the direct path. */
    private final boolean closesCloseables;
    /** Initial capacity for the next frame: the last frame's size plus slack; racy, a hint only. */
    private int sizeHint = MIN_HINT;
    /** The payload class whose last direct attempt fell back, and encodes of it since; racy, a hint only. */
    private Class<?> fallbackType;
    private int fallbackCount;
    /** Root writers by payload class hash; entries are immutable, the table racy (a miss makes a writer). */
    private final RootWriter[] writers = new RootWriter[WRITERS];

    /**
     * @param delimiter frame delimiter bytes
     * @param legacy    node-ipc 9–12 payload rules when true, 14's otherwise
     * @param mapper    converts arbitrary Java values to JSON trees
     */
    public FrameEncoder(byte[] delimiter, boolean legacy, JsonMapper mapper) {
        this(delimiter, legacy, mapper, null);
    }

    /**
     * @param framing custom framing used instead of the delimiter, or null
     */
    public FrameEncoder(byte[] delimiter, boolean legacy, JsonMapper mapper, Framing framing) {
        this.framing = framing;
        this.delimiter = delimiter.clone();
        this.rules = legacy ? PayloadRules.LEGACY : PayloadRules.MODERN;
        this.mapper = mapper;
        this.legacy = legacy;
        this.direct = mapper.serializationConfig().getNodeFactory().getClass() == JsonNodeFactory.class;
        this.closesCloseables = mapper.isEnabled(SerializationFeature.CLOSE_CLOSEABLE);
        this.recordWriters = direct && RecordWriter.supports(mapper);
    }

    /**
     * Encodes one frame, as {@link #encode(ByteBufAllocator, String, Object)}, and hands it to {@code sink}: lent
     * ({@link FrameSink#takeCopy}) when it was built in the thread's scratch, so a sink that copies it at once
     * saves the copy into a frame of its own; owned ({@link FrameSink#take}) otherwise, or when the sink declines.
     * @return what the sink answered
     * @throws IllegalArgumentException if {@code data} cannot be converted to JSON (the sink is not called)
     */
    public <T> T encode(ByteBufAllocator alloc, String type, Object data, FrameSink<T> sink) {
        if (framing == null && sizeHint <= SCRATCH_HINT) {
            FrameScratch scratch = FrameScratch.lend();
            if (scratch != null) {
                ByteBuf frame;
                try {
                    ByteBuf out = scratch.buffer();
                    writeMessage(type, data, out, scratch);
                    out.writeBytes(delimiter);
                    noteSize(out.readableBytes());
                    T taken = sink.takeCopy(out);
                    if (taken != null) {
                        return taken;
                    }
                    frame = scratch.copy(alloc);
                } finally {
                    scratch.close();
                }
                return sink.take(frame);
            }
        }
        return sink.take(encodeFresh(alloc, type, data));
    }

    /**
     * Encodes one frame.
     * @param type the event type, not null
     * @param data the payload: any value Jackson can write, a {@link JsonNode}, {@code null}, or
     *             {@link MissingNode} for "no payload" (JavaScript {@code undefined})
     * @return a new buffer the caller owns
     * @throws IllegalArgumentException if {@code data} cannot be converted to JSON
     */
    public ByteBuf encode(ByteBufAllocator alloc, String type, Object data) {
        return encode(alloc, type, data, OWNED);
    }

    /** A sink that declines the lent scratch, so the encoder copies it out, and answers the frame it is given. */
    private static final FrameSink<ByteBuf> OWNED = new FrameSink<>() {
        @Override
        public ByteBuf takeCopy(ByteBuf lent) {
            return null;
        }

        @Override
        public ByteBuf take(ByteBuf frame) {
            return frame;
        }
    };

    /** Builds the frame in a new buffer (no scratch: custom framing, a large or virtual-thread or re-entered encode). */
    private ByteBuf encodeFresh(ByteBufAllocator alloc, String type, Object data) {
        int initial = Math.max(sizeHint, 32 + type.length());
        // small frames go to the heap: a TLAB bump on any thread, and the outbox copies them into one
        // pooled buffer per batch anyway; the pooled allocator is slow on threads that are not Netty's
        ByteBuf out = initial <= SMALL_FRAME ? SMALL_FRAMES.heapBuffer(initial) : alloc.buffer(initial);
        try {
            writeMessage(type, data, out, null);
            if (framing == null) {
                out.writeBytes(delimiter);
            }
        } catch (RuntimeException | Error e) {
            out.release();
            throw e;
        }
        noteSize(out.readableBytes());
        return framing == null ? out : frame(alloc, out);
    }

    /** Appends {@code {"type":…,"data":…}}; {@code scratch} is the lent scratch {@code out} is of, or null. */
    private void writeMessage(String type, Object data, ByteBuf out, FrameScratch scratch) {
        out.writeBytes(TYPE_PREFIX);
        JsonStringWriter.writeQuoted(type, out);
        out.writeBytes(DATA_PREFIX);
        if (!writeDirect(data, out, scratch)) {
            JsonStringify.write(rules.normalise(toTree(data)), out);
        }
        out.writeByte('}');
    }

    /** Updates the size hint from a frame of {@code size} bytes. */
    private void noteSize(int size) {
        int hint = Math.min(MAX_HINT, Math.max(MIN_HINT, size + (size >> 3)));
        if (hint != sizeHint) {
            sizeHint = hint; // written only on change: steady traffic does not bounce the cache line
        }
    }

    /** The direct path: true if {@code data} was written exactly; otherwise {@code out} is left as it was. */
    private boolean writeDirect(Object data, ByteBuf out, FrameScratch scratch) {
        if (!direct || data == null || data instanceof JsonNode || data instanceof BaseStream
                || (closesCloseables && data instanceof Closeable)) {
            return false;
        }
        Class<?> type = data.getClass();
        if (type == fallbackType && ++fallbackCount % RETRY_EVERY != 0) {
            return false; // it just fell back: likely again (say a map with numeric keys), skip the wasted work
        }
        int start = out.writerIndex();
        RootWriter writer;
        try {
            writer = writerFor(type);
        } catch (RuntimeException e) {
            return false; // the tree path reports it
        }
        if (writer.records != null
                ? StringifyGenerator.tryWrite(writer.records, data, legacy, out, scratch)
                : StringifyGenerator.tryWrite(writer.writer, data, legacy, out, scratch)) {
            if (type == fallbackType) {
                fallbackType = null;
            }
            return true;
        }
        out.writerIndex(start);
        fallbackType = type;
        return false;
    }

    /** @return the writers for values of exactly {@code type}, from the table or made and put there */
    private RootWriter writerFor(Class<?> type) {
        int slot = type.hashCode() & (WRITERS - 1);
        RootWriter w = writers[slot];
        if (w == null || w.type != type) {
            w = new RootWriter(type, mapper.writerFor(type),
                    recordWriters && !jacksonOnly ? RecordWriter.forType(type, mapper) : null);
            writers[slot] = w;
        }
        return w;
    }

    /**
     * The mapper's writer with the serializer of {@code type} prefetched, and the {@link RecordWriter} that
     * replaces it when {@code type} is an eligible record (else null); immutable, so safely shared through a race.
     */
    private record RootWriter(Class<?> type, ObjectWriter writer, RecordWriter records) {
    }

    /** Test hook: makes every payload take Jackson's serializers, never a {@link RecordWriter}. */
    FrameEncoder jacksonOnly() {
        jacksonOnly = true;
        java.util.Arrays.fill(writers, null);
        return this;
    }

    /** Wraps an encoded body with the custom framing; releases {@code body}. */
    private ByteBuf frame(ByteBufAllocator alloc, ByteBuf body) {
        ByteBuf framed = alloc.buffer(body.readableBytes() + 16);
        try {
            framing.writeFrame(body, framed);
            return framed;
        } catch (RuntimeException e) {
            framed.release();
            throw new IllegalArgumentException("custom framing could not write a frame: " + e.getMessage(), e);
        } finally {
            body.release();
        }
    }

    private JsonNode toTree(Object data) {
        if (data instanceof JsonNode) {
            return (JsonNode) data;
        }
        if (data == null) {
            return mapper.getNodeFactory().nullNode();
        }
        try {
            return mapper.valueToTree(data);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot write payload of type " + data.getClass().getName()
                + " as JSON: " + e.getMessage(), e);
        }
    }
}
