package io.jipc.internal.codec;

import io.jipc.internal.config.ProtocolPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Splits an inbound byte stream into frames at a delimiter of one or more bytes.
 *
 * <p>Emits each frame (delimiter removed) as a retained {@link ByteBuf} slice, or a
 * {@link DecodeFailure} with {@link ProtocolErrorCode#ERR_IPC_FRAME_TOO_LARGE} for a frame longer than
 * {@code maxFrameLength}; the oversized bytes are skipped up to the next delimiter and the stream goes
 * on. Works on any chunking: bytes already scanned are not scanned again, so a frame arriving one byte
 * per read costs linear time. Every complete frame in a read is emitted at once (unlike node-ipc 9–12,
 * which waits until a read ends exactly on a delimiter). One instance per channel.
 *
 * <p>Given a mapper, frames are decoded in place ({@link MessageDecoder#decode(byte[], int, int, JsonMapper)})
 * and a {@link WireMessage} or {@link DecodeFailure} is emitted instead of a slice: no slice object, no
 * reference counting and one pipeline step less per message. The frames of one read are then found and
 * decoded in the array of a heap cumulation ({@link HeapCumulator}: a direct read is copied once, not once
 * per frame). With a delimiter that no valid JSON text holds (the default form feed), a frame is decoded before its
 * delimiter is searched for, and the parse itself finds where the frame ends ({@link MessageDecoder#decodeAhead}), so
 * the bytes of a valid message are scanned once; a frame that is not a valid message, or not complete yet, is then
 * searched for and decoded as above, which gives the same messages and failures.
 */
public final class FrameSplitter extends ByteToMessageDecoder {
    private final byte[] delimiter;
    private final int maxFrameLength;
    /** Bytes after readerIndex already known not to start a delimiter. */
    private int scanned;
    /** True while skipping the rest of an oversized frame. */
    private boolean discarding;
    private final long messageTimeoutNanos;
    /** When the current incomplete frame began (nanoTime), valid while bytes are pending. */
    private long partialSince;
    private boolean partialPending;
    private ScheduledFuture<?> timeout;
    private boolean timedOut;
    /** Decodes frames in place when set; emits slices otherwise. */
    private final JsonMapper decodeWith;
    /**
     * Whether frames are decoded before their delimiter is searched for ({@link #decodeAhead}): with a mapper and a
     * delimiter that no valid JSON text holds ({@link MessageDecoder#decodesAhead}), like the default form feed.
     */
    private final boolean ahead;
    /** Where decoded messages go when not through the pipeline ({@link #deliverTo}), else null. */
    private DirectDelivery delivery;
    /** Which types' payloads are read straight into records ({@link #readRecords}), or null. */
    private RecordRoute.Table routes;
    /** Where {@link MessageDecoder#decodeAhead} found the last frame's end. */
    private final int[] frameEnd = new int[1];

    /**
     * @param delimiter      delimiter bytes, at least one
     * @param maxFrameLength largest frame accepted, delimiter excluded
     */
    public FrameSplitter(byte[] delimiter, int maxFrameLength) {
        this(delimiter, maxFrameLength, 0);
    }

    /**
     * @param delimiter            delimiter bytes, at least one
     * @param maxFrameLength       largest frame accepted, delimiter excluded
     * @param messageTimeoutMillis longest an incomplete frame may wait for its delimiter before a
     *                             {@link ProtocolErrorCode#ERR_IPC_MESSAGE_TIMEOUT} failure (0 = forever);
     *                             the failure is reported once and the partial bytes are dropped
     */
    public FrameSplitter(byte[] delimiter, int maxFrameLength, long messageTimeoutMillis) {
        this(delimiter, maxFrameLength, messageTimeoutMillis, null);
    }

    /**
     * @param decodeWith mapper whose settings frames are decoded with, in place; null to emit slices
     */
    public FrameSplitter(byte[] delimiter, int maxFrameLength, long messageTimeoutMillis, JsonMapper decodeWith) {
        this.decodeWith = decodeWith;
        if (decodeWith != null) {
            setCumulator(HeapCumulator.INSTANCE); // frames are then decoded straight from the cumulation's array
        }
        this.messageTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(messageTimeoutMillis);
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        this.delimiter = delimiter.clone();
        this.maxFrameLength = maxFrameLength;
        this.ahead = decodeWith != null && MessageDecoder.decodesAhead(this.delimiter);
    }

    /**
     * Hands what this splitter decodes straight to {@code next}, the handler after it, instead of through the
     * pipeline: one call per message instead of Netty's per-message step (looking up the next inbound handler,
     * checking the thread, recording the hand-over for the leak detector). Only for a handler that is the next
     * inbound one for good and that runs on this channel's event loop; set before the first read.
     *
     * @param policy whose per-message checks to apply on the way (what a {@link MessagePolicyHandler} between the two
     *               would do), or null for none
     */
    public void deliverTo(ChannelHandlerContext next, ProtocolPolicy policy) {
        if (!(next.handler() instanceof ChannelInboundHandler)) {
            throw new IllegalArgumentException("not an inbound handler: " + next.handler());
        }
        this.delivery = new DirectDelivery(next, policy);
    }

    /**
     * Reads the payloads of the types {@code routes} has a route for straight into records (see {@link RecordRoute}),
     * when decoding in place. Only with {@link #deliverTo}: a route is looked up as each message is decoded, and so
     * must be the handlers' state when it is dispatched. Set before the first read.
     */
    public void readRecords(RecordRoute.Table routes) {
        this.routes = routes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        List<Object> to = delivery != null ? delivery : out;
        int before = to.size();
        split(in, to);
        if (messageTimeoutNanos > 0) {
            if (to.size() > before) {
                partialPending = false; // a frame completed: any remainder is a new partial frame
            }
            trackPartial(ctx, in.isReadable());
        }
    }

    private void trackPartial(ChannelHandlerContext ctx, boolean pending) {
        if (!pending) {
            partialPending = false;
            return;
        }
        if (!partialPending) {
            partialPending = true;
            partialSince = System.nanoTime();
        }
        if (timeout == null && !timedOut) {
            timeout = ctx.executor().schedule(() -> expire(ctx), messageTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        timeout = null;
        if (!partialPending || !ctx.channel().isActive()) {
            return;
        }
        long waited = System.nanoTime() - partialSince;
        if (waited < messageTimeoutNanos) {
            timeout = ctx.executor().schedule(() -> expire(ctx), messageTimeoutNanos - waited, TimeUnit.NANOSECONDS);
            return;
        }
        timedOut = true;
        partialPending = false;
        ByteBuf pending = internalBuffer();
        int dropped = pending.readableBytes();
        pending.skipBytes(dropped);
        scanned = 0;
        ctx.fireChannelRead(new DecodeFailure(ProtocolErrorCode.ERR_IPC_MESSAGE_TIMEOUT, "an incomplete frame ("
            + dropped + " bytes) waited " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for its delimiter; "
            + "messageTimeout=" + TimeUnit.NANOSECONDS.toMillis(messageTimeoutNanos) + " ms"));
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void split(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (ahead && scanned == 0 && !discarding) {
                decodeAhead(in, out);
                if (!in.isReadable()) {
                    return;
                }
            }
            int start = in.readerIndex();
            int end = DelimiterSearch.indexOf(in, start + scanned, in.writerIndex(), delimiter);
            if (end < 0) {
                int readable = in.readableBytes();
                scanned = Math.max(0, readable - (delimiter.length - 1));
                if (readable > (long) maxFrameLength + delimiter.length - 1) {
                    if (!discarding) {
                        discarding = true;
                        out.add(tooLarge(readable));
                    }
                    int skip = scanned;
                    in.skipBytes(skip);
                    scanned -= skip;
                }
                return;
            }
            int length = end - start;
            scanned = 0;
            if (discarding) {
                discarding = false;
                in.skipBytes(length + delimiter.length);
            } else if (length > maxFrameLength) {
                in.skipBytes(length + delimiter.length);
                out.add(tooLarge(length));
            } else if (decodeWith != null) {
                decodeRun(in, start, end, out);
            } else {
                out.add(in.readRetainedSlice(length));
                in.skipBytes(delimiter.length);
            }
        }
    }

    /**
     * Decodes the frames at the reader index whose ends the decoder finds itself ({@link MessageDecoder#decodeAhead}:
     * one scan finds and decodes a frame), until one is not a message or not complete in {@code in}; for that one,
     * records how far its bytes are known to hold no delimiter.
     */
    private void decodeAhead(ByteBuf in, List<Object> out) {
        byte[] a = in.array();
        int shift = in.arrayOffset(); // array index minus buffer index
        int from = in.readerIndex() + shift;
        int limit = in.writerIndex() + shift;
        while (from < limit) {
            // a frame too long for maxFrameLength cannot end before this, so it is left to the search
            int stop = (int) Math.min(limit, (long) from + maxFrameLength + delimiter.length);
            WireMessage m = MessageDecoder.decodeAhead(a, from, stop, delimiter, decodeWith, frameEnd, routes);
            if (m == null) {
                scanned = frameEnd[0] - from; // the search for this frame's delimiter starts where the scan stopped
                break;
            }
            out.add(m);
            from = frameEnd[0] + delimiter.length;
        }
        in.readerIndex(from - shift);
    }

    /**
     * Decodes the frame {@code in[start, end)} and every further complete frame among the readable bytes straight
     * from the array behind them (the {@link HeapCumulator} keeps them on the heap), searching for the delimiters
     * in the array; consumes the frames and records how far the rest was searched.
     */
    private void decodeRun(ByteBuf in, int start, int end, List<Object> out) {
        int limit = in.writerIndex();
        byte[] a = in.array();
        int shift = in.arrayOffset(); // array index minus buffer index
        int from = start;
        int to = end;
        while (true) {
            int length = to - from;
            out.add(length > maxFrameLength ? tooLarge(length)
                : MessageDecoder.decode(a, from + shift, length, decodeWith, routes));
            from = to + delimiter.length;
            if (ahead) {
                in.readerIndex(from);
                return; // the next frame is tried ahead first, its delimiter not searched for yet (scanned is 0)
            }
            int next = DelimiterSearch.indexOf(a, from + shift, limit + shift, delimiter);
            if (next < 0) {
                break;
            }
            to = next - shift;
        }
        in.readerIndex(from);
        scanned = Math.max(0, limit - from - (delimiter.length - 1)); // no delimiter starts before that
    }

    private DecodeFailure tooLarge(long seen) {
        return new DecodeFailure(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE,
            "frame exceeds maxFrameLength=" + maxFrameLength + " bytes (at least " + seen + " bytes seen); skipped");
    }
}
