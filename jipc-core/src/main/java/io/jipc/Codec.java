package io.jipc;

import io.jipc.internal.buffer.RawCopy;
import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.FrameEncoder;
import io.jipc.internal.codec.FrameSink;
import io.jipc.internal.codec.MessagePolicyHandler;
import io.jipc.internal.codec.NodeEncodings;
import io.jipc.internal.codec.ProtocolErrorException;
import io.jipc.internal.codec.RecordReader;
import io.jipc.internal.config.ProtocolPolicy;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.connection.EmitBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Per-instance glue between the public API and the codec: encodes frames, binds payloads to Java
 * types, converts write futures. Thread-safe.
 */
final class Codec {
    private final FrameEncoder encoder;
    private final JsonMapper mapper;
    private final boolean raw;
    private final String encoding;
    private final ProtocolPolicy policy;
    /** Whether the mapper reads records as a default one does ({@link RecordReader#supports}); null until asked. */
    private volatile Boolean readsRecords;

    Codec(EngineSettings settings, String encoding) {
        this.encoding = encoding;
        this.policy = settings.policy();
        this.encoder = new FrameEncoder(settings.delimiter(), settings.legacy(), settings.mapper(), settings.framing());
        this.mapper = settings.mapper();
        this.raw = settings.raw();
    }

    /** Encodes a framed message; {@code data == MISSING} means "no payload". */
    ByteBuf frame(String type, Object data) {
        check(type);
        return encoder.encode(ByteBufAllocator.DEFAULT, type, data);
    }

    /** Encodes a framed message as {@link #frame} does and hands it to {@code sink}, lent or owned. @return its answer */
    <T> T encode(String type, Object data, FrameSink<T> sink) {
        check(type);
        return encoder.encode(ByteBufAllocator.DEFAULT, type, data, sink);
    }

    /** Refuses a framed message in raw mode, a null type, and a type the protocol policy refuses to send. */
    private void check(String type) {
        if (raw) {
            throw new IllegalStateException("rawBuffer is on: emit bytes, not typed events (type=\"" + type + "\")");
        }
        if (type == null) {
            throw new IllegalArgumentException("type must be a string but was null");
        }
        if (policy.checksMessages()) {
            DecodeFailure refused = MessagePolicyHandler.check(policy, type, "sent");
            if (refused != null) {
                throw toException(refused);
            }
        }
    }

    /** @throws IllegalStateException naming {@code what} unless in raw mode */
    void requireRaw(String what) {
        if (!raw) {
            throw new IllegalStateException("rawBuffer is off: " + what + " is for raw bytes and emit(type, data) "
                + "sends framed JSON; set IpcConfig rawBuffer(true) to send and receive bytes");
        }
    }

    /** Copies raw bytes into a frame-less pooled buffer. */
    ByteBuf rawBytes(byte[] bytes) {
        requireRaw("emit(bytes)");
        return RawCopy.of(bytes);
    }

    /**
     * Copies the bytes between {@code bytes}' position and limit into a frame-less pooled buffer, leaving
     * its position, limit and mark as they were.
     */
    ByteBuf rawBytes(ByteBuffer bytes) {
        requireRaw("emit(ByteBuffer)");
        return RawCopy.of(bytes);
    }

    /** @return whether this instance is in raw mode */
    boolean raw() {
        return raw;
    }

    /** Raw mode: a string payload converted with {@code encoding}, as Node's Buffer does. */
    ByteBuf rawText(String text) {
        return rawBytes(NodeEncodings.encode(text, encoding));
    }

    /**
     * @return how the payloads of {@code event} bind to {@code type}: through a {@link RecordReader} where one
     *         applies (a plain record and a default mapper), else through Jackson; made once per handler
     */
    <T> Binding<T> binding(Class<T> type, String event) {
        return new Binding<>(type, event, readsRecords() ? RecordReader.forType(type, mapper) : null);
    }

    private boolean readsRecords() {
        Boolean r = readsRecords;
        if (r == null) {
            r = RecordReader.supports(mapper);
            readsRecords = r;
        }
        return r;
    }

    /** How the payloads of one event bind to one Java type. Immutable. */
    final class Binding<T> {
        private final Class<T> type;
        private final String event;
        private final RecordReader reader;

        private Binding(Class<T> type, String event, RecordReader reader) {
            this.type = type;
            this.event = event;
            this.reader = reader;
        }

        Class<T> type() {
            return type;
        }

        /** @return the reader of the record {@link #type()}, or null when payloads bind through Jackson */
        RecordReader reader() {
            return reader;
        }

        /** Binds {@code data} ({@link #reader()} first, when there is one), or throws a coded exception naming the type. */
        T bind(JsonNode data) {
            if (data == null || data.isMissingNode()) {
                return null;
            }
            if (reader != null) {
                Object r = reader.read(data);
                if (r != null) {
                    return type.cast(r);
                }
            }
            try {
                return mapper.treeToValue(data, type);
            } catch (RuntimeException e) {
                throw new IpcProtocolException(IpcProtocolException.Code.ERR_IPC_PAYLOAD_BINDING,
                    "payload of \"" + event + "\" does not bind to " + type.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    static IpcProtocolException toException(DecodeFailure f) {
        return new IpcProtocolException(IpcProtocolException.Code.valueOf(f.code().name()), f.message(), null);
    }

    /**
     * The stage an emit returns. The frames one drain of a connection's outbox writes share one
     * {@link EmitBatch}, already a minimal stage failing only with the channel's own errors: it is handed to
     * every emit of the batch as is. Other internal futures (queued while disconnected, refused, UDP) are
     * mapped to the public exception types behind a minimal stage, so no caller can complete one for others.
     */
    CompletionStage<Void> mapped(CompletableFuture<Void> internal) {
        if (internal instanceof EmitBatch) {
            return internal;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        internal.whenComplete((v, e) -> {
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(publicCause(e));
            }
        });
        return done.minimalCompletionStage();
    }

    static Throwable publicCause(Throwable e) {
        if (e instanceof ProtocolErrorException) {
            ProtocolErrorException p = (ProtocolErrorException) e;
            return new IpcProtocolException(IpcProtocolException.Code.valueOf(p.code().name()), p.getMessage(), null);
        }
        return e;
    }

    /** The "no payload" marker: JavaScript {@code undefined}. */
    static final Object MISSING = MissingNode.getInstance();
}
