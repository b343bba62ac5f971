package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import tools.jackson.core.JacksonException;
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
        int from = frame.readerIndex();
        int length = frame.readableBytes();
        if (length == 0) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON, "empty frame");
        }
        // one array view of the frame serves both the UTF-8 check and the parser (direct buffers are copied once)
        byte[] array;
        int offset;
        if (frame.hasArray()) {
            array = frame.array();
            offset = frame.arrayOffset() + from;
        } else {
            array = ByteBufUtil.getBytes(frame, from, length, false);
            offset = 0;
        }
        int bad = Utf8Validator.firstInvalid(Unpooled.wrappedBuffer(array, offset, length), 0, length);
        if (bad >= 0) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_UTF8,
                "frame is not valid UTF-8 at byte offset " + bad + " of " + length);
        }
        if (length >= 3 && frame.getUnsignedMedium(from) == 0xEFBBBF) {
            // JSON.parse does not skip a byte-order mark (Jackson would): refuse like a JS peer does
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                "frame starts with a byte-order mark (U+FEFF), which is not JSON");
        }
        for (int i = 0; i < Math.min(4, length); i++) {
            if (array[offset + i] == 0) {
                // JSON text never holds a raw NUL; without this check Jackson would take the frame for
                // UTF-16/UTF-32 and accept what JSON.parse on the UTF-8 text rejects
                return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                    "frame holds a NUL byte at offset " + i + " (not UTF-8 JSON text)");
            }
        }
        JsonNode root;
        try {
            root = mapper.readTree(array, offset, length);
        } catch (JacksonException e) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON,
                "frame is not valid JSON (" + e.getOriginalMessage() + "): " + preview(frame));
        }
        if (root == null || root.isMissingNode()) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_JSON, "frame holds only whitespace");
        }
        if (!root.isObject()) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_MESSAGE,
                "frame must be a JSON object {\"type\":…,\"data\":…} but was " + kind(root));
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isString()) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_INVALID_EVENT,
                "frame's \"type\" must be a string but was " + kind(type));
        }
        JsonNode data = root.get("data");
        return new WireMessage(type.asString(), data == null ? MissingNode.getInstance() : data);
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String preview(ByteBuf frame) {
        int n = Math.min(PREVIEW, frame.readableBytes());
        String text = frame.toString(frame.readerIndex(), n, java.nio.charset.StandardCharsets.UTF_8);
        return "\"" + text.replaceAll("\\p{Cntrl}", "?") + (frame.readableBytes() > n ? "…\"" : "\"")
            + " (" + frame.readableBytes() + " bytes)";
    }
}
