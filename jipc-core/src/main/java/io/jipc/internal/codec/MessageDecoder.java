package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * Turns one frame ({@link ByteBuf} from {@link FrameSplitter}) into a {@link WireMessage}, or into a
 * {@link DecodeFailure} when the frame is empty, not UTF-8, not JSON, not an object, or has no string
 * {@code type}. Never throws for bad input; passes {@link DecodeFailure}s from upstream through.
 * Stateless, so one instance may be shared by many channels.
 */
@ChannelHandler.Sharable
public final class MessageDecoder extends ChannelInboundHandlerAdapter {
    private static final int PREVIEW = 64;
    private static final byte[] TYPE_NAME = "\"type\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] DATA_NAME = "\"data\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Frames from direct buffers are copied here (per I/O thread) instead of into a new array each. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[SCRATCH_SIZE];
        }
    };
    /** Size of the per-thread array a direct frame is copied into to be decoded. */
    static final int SCRATCH_SIZE = 64 * 1024;
    private static volatile ParserFor lastParser;
    private final JsonMapper mapper;

    /** @param mapper parses frames; must not be reconfigured afterwards */
    public MessageDecoder(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf frame = (ByteBuf) msg;
        Object decoded;
        try {
            decoded = decode(frame, mapper);
        } finally {
            frame.release();
        }
        ctx.fireChannelRead(decoded);
    }

    /**
     * Decodes one frame without consuming or releasing it.
     * @return a {@link WireMessage} or a {@link DecodeFailure}
     */
    public static Object decode(ByteBuf frame, JsonMapper mapper) {
        return decode(frame, frame.readerIndex(), frame.readableBytes(), mapper);
    }

    /**
     * Decodes the frame held in {@code frame[from, from + length)} without touching the buffer's indices.
     * @return a {@link WireMessage} or a {@link DecodeFailure}
     */
    public static Object decode(ByteBuf frame, int from, int length, JsonMapper mapper) {
        if (frame.hasArray()) {
            return decode(frame.array(), frame.arrayOffset() + from, length, mapper);
        }
        // one array view of the frame serves the parser (a direct buffer is copied once)
        byte[] array = length <= SCRATCH_SIZE ? SCRATCH.get() : new byte[length];
        frame.getBytes(from, array, 0, length);
        return decode(array, 0, length, mapper);
    }

    /**
     * Decodes the frame held in {@code array[offset, offset + length)}, which is only read during the call.
     * @return a {@link WireMessage} or a {@link DecodeFailure}
     */
    public static Object decode(byte[] array, int offset, int length, JsonMapper mapper) {
        return decode(array, offset, length, mapper, null);
    }

    /**
     * As {@link #decode(byte[], int, int, JsonMapper)}, reading the payloads of the types {@code routes} has a route
     * for straight into records where they take them ({@link WireMessage#record()}).
     * @param routes the routes by type, or null for trees only
     */
    public static Object decode(byte[] array, int offset, int length, JsonMapper mapper, RecordRoute.Table routes) {
        if (length == 0) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON, "empty frame");
        }
        // the parser checks UTF-8 in strings as it scans them (nothing else may be non-ASCII), so the whole
        // frame is checked separately only when it is refused: ill-formed UTF-8 anywhere outranks other faults
        if (length >= 3 && (array[offset] & 0xFF) == 0xEF && (array[offset + 1] & 0xFF) == 0xBB
            && (array[offset + 2] & 0xFF) == 0xBF) {
            // JSON.parse does not skip a byte-order mark (Jackson would): refuse like a JS peer does
            return refuse(array, offset, length, new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                "frame starts with a byte-order mark (U+FEFF), which is not JSON"));
        }
        for (int i = 0; i < Math.min(4, length); i++) {
            if (array[offset + i] == 0) {
                // JSON text never holds a raw NUL; without this check Jackson would take the frame for
                // UTF-16/UTF-32 and accept what JSON.parse on the UTF-8 text rejects
                return refuse(array, offset, length, new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                    "frame holds a NUL byte at offset " + i + " (not UTF-8 JSON text)"));
            }
        }
        JsonTreeParser.Text text = parser(mapper).text(array, offset, length);
        try {
            return envelope(text, null, routes);
        } catch (JsonTreeParser.JsonSyntaxException e) {
            return refuse(array, offset, length, new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                "frame is not valid JSON (" + e.getMessage() + "): " + preview(array, offset, length)));
        } catch (StackOverflowError e) {
            return refuse(array, offset, length, new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                "frame is not valid JSON (nested too deeply for this thread's stack): " + preview(array, offset, length)));
        } finally {
            JsonTreeParser.done(text);
        }
    }

    /**
     * Decodes the frame that starts at {@code array[offset]} before its end is known: the frame is taken to end
     * where the JSON value (and the whitespace after it) does, and is accepted only when {@code delimiter} follows
     * right there, within {@code array[offset, limit)}. A delimiter that begins with a byte no valid JSON text holds
     * (see {@link #decodesAhead}) cannot occur earlier, so the frame found is the one a search for the delimiter
     * would give, and its message is the one {@link #decode(byte[], int, int, JsonMapper)} gives for it: the bytes
     * are scanned once instead of twice.
     *
     * @param frameEnd gets the array index where the frame's delimiter begins on success; on failure, where the scan
     *                 stopped: no byte before that (from {@code offset}) begins the delimiter
     * @param routes   as for {@link #decode(byte[], int, int, JsonMapper, RecordRoute.Table)}, or null for trees only
     * @return the message, or null when this did not find one (invalid, incomplete or not a message frame); the
     *         caller then finds the delimiter itself and decodes that frame as usual, which reports the fault
     */
    public static WireMessage decodeAhead(byte[] array, int offset, int limit, byte[] delimiter, JsonMapper mapper,
                                          int[] frameEnd, RecordRoute.Table routes) {
        frameEnd[0] = offset;
        if (limit - offset < 4 || (array[offset] & 0xFF) == 0xEF) {
            return null; // too short to tell, or maybe a byte-order mark: decided by the exact frame
        }
        for (int i = 0; i < 4; i++) {
            if (array[offset + i] == 0) {
                return null;
            }
        }
        JsonTreeParser.Text text = parser(mapper).text(array, offset, limit - offset);
        try {
            Object m = envelope(text, delimiter, routes);
            frameEnd[0] = text.next();
            return m instanceof WireMessage ? (WireMessage) m : null;
        } catch (JsonTreeParser.JsonSyntaxException | StackOverflowError e) {
            frameEnd[0] = text.position();
            return null;
        } finally {
            JsonTreeParser.done(text);
        }
    }

    /**
     * @return whether frames split at {@code delimiter} may be decoded by {@link #decodeAhead}: its first byte is
     *         a control character other than tab, LF and CR, which a valid JSON text holds nowhere (not even in a
     *         string), so the first such byte after a frame's start ends the frame's JSON
     */
    public static boolean decodesAhead(byte[] delimiter) {
        byte first = delimiter[0];
        return first >= 0 && first < 0x20 && first != '\t' && first != '\n' && first != '\r';
    }

    /** @return {@code failure}, or the UTF-8 failure instead when {@code array[offset, offset + length)} is ill-formed */
    private static DecodeFailure refuse(byte[] array, int offset, int length, DecodeFailure failure) {
        int bad = Utf8Validator.firstInvalid(array, offset, offset + length);
        if (bad >= 0) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_UTF8,
                "frame is not valid UTF-8 at byte offset " + (bad - offset) + " of " + length);
        }
        return failure;
    }

    /**
     * Reads the root of a frame: an object's {@code type} and {@code data} members go straight into the
     * message (no tree for the envelope itself; a repeated name keeps its last value, as JSON.parse does). A
     * {@code data} that follows a {@code type} with a route is read into the route's record where it takes it.
     *
     * @param delimiter null when the text is the whole frame; else the text runs on past the frame, which must end
     *                  where this delimiter follows the object (and whitespace), and any fault gives null
     * @param routes    the record routes by type, or null
     */
    private static Object envelope(JsonTreeParser.Text text, byte[] delimiter, RecordRoute.Table routes) {
        if (!text.more()) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON, "frame holds only whitespace");
        }
        if (!text.take('{')) {
            if (delimiter != null) {
                return null;
            }
            JsonNode root = text.value(0);
            text.expectEnd();
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE,
                "frame must be a JSON object {\"type\":…,\"data\":…} but was " + kind(root));
        }
        String type = null;
        JsonNode badType = null; // a type that is not a string, for the message
        JsonNode data = null;
        String dataId = null;
        Object record = null; // the last data, read into the route's record, when it was
        RecordRoute route = null;
        String routedType = null;
        int recordAt = 0;
        if (!text.take('}')) {
            do {
                // the two names every frame has are matched as bytes; any other spelling is read as a String
                boolean isType = text.takeName(TYPE_NAME);
                boolean isData = !isType && text.takeName(DATA_NAME);
                if (!isType && !isData) {
                    String name = text.name();
                    isType = name.equals("type");
                    isData = name.equals("data");
                }
                text.expect(':');
                if (isType) {
                    type = text.stringOrNull();
                    badType = type == null ? text.value(1) : null;
                } else if (isData) {
                    route = type == null || routes == null ? null : routes.routeOf(type);
                    record = null;
                    if (route != null) {
                        recordAt = text.next();
                        record = RecordTextReader.read(route.reader(), text, 2); // unmoved when it declines
                    }
                    if (record != null) {
                        routedType = type;
                        dataId = text.objectId();
                    } else {
                        data = text.value(1);
                        dataId = data.isObject() ? text.objectId() : null;
                    }
                } else {
                    text.value(1);
                }
            } while (text.take(','));
            text.expect('}');
        }
        if (record != null && !routedType.equals(type)) {
            record = null; // the type changed after the data read for it: the tree after all
            data = text.valueAt(recordAt, 1);
            dataId = data.isObject() ? text.objectId() : null;
        }
        if (delimiter != null) {
            return type != null && text.followedBy(delimiter) ? message(type, data, dataId, record, route) : null;
        }
        text.expectEnd();
        if (type == null) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_EVENT,
                "frame's \"type\" must be a string but was " + kind(badType));
        }
        return message(type, data, dataId, record, route);
    }

    private static WireMessage message(String type, JsonNode data, String dataId, Object record, RecordRoute route) {
        if (record != null) {
            return new WireMessage.Routed(type, record, route, dataId);
        }
        return new WireMessage(type, data == null ? MissingNode.getInstance() : data, dataId);
    }

    /** The parser for {@code mapper}: one per mapper, the last one used is kept. */
    private static JsonTreeParser parser(JsonMapper mapper) {
        ParserFor cached = lastParser;
        if (cached == null || cached.mapper != mapper) {
            cached = new ParserFor(mapper, new JsonTreeParser(mapper));
            lastParser = cached;
        }
        return cached.parser;
    }

    private record ParserFor(JsonMapper mapper, JsonTreeParser parser) {
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String preview(byte[] array, int offset, int length) {
        int n = Math.min(PREVIEW, length);
        String text = Unpooled.wrappedBuffer(array, offset, n).toString(java.nio.charset.StandardCharsets.UTF_8);
        return "\"" + text.replaceAll("\\p{Cntrl}", "?") + (length > n ? "…\"" : "\"") + " (" + length + " bytes)";
    }
}
