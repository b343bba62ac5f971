package io.jipc.internal.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.function.LongSupplier;

/**
 * Makes "emits are being refused" visible as channel writability, so that a refusal and the writability
 * events always agree. Netty's own flag follows only its outbound buffer, but a write is refused when the
 * outbox and that buffer together pass {@code maxPendingBytes}: with most bytes still in the outbox (or
 * taken by the kernel just after), the buffer alone may never pass its high-water mark and no
 * {@code writable false} would fire although emits fail.
 *
 * <p>On the first refusal this clears a user-defined writability bit of the channel's outbound buffer
 * (Netty fires the change when the channel was writable). It sets the bit again once everything queued
 * before has gone to the kernel and at most half the bound is queued — the same hysteresis as Netty's water
 * marks — by waiting on an empty write behind the queued bytes. {@link #refused()} is safe from any thread;
 * the rest runs on the channel's event loop.
 */
final class RefusalWritability {
    /** The user-defined writability bit used (Netty reserves 0 for its own flag). */
    private static final int BIT = 1;
    private final Channel channel;
    private final LongSupplier queued;
    private final long resumeAt;
    /** A mark is scheduled or set; cleared on the event loop when the bit is set again. */
    private volatile boolean requested;

    /**
     * @param queued   bytes queued to the connection (outbox plus outbound buffer)
     * @param resumeAt writable again at or below this many queued bytes
     */
    RefusalWritability(Channel channel, LongSupplier queued, long resumeAt) {
        this.channel = channel;
        this.queued = queued;
        this.resumeAt = resumeAt;
    }

    /** A write was just refused (any thread). */
    void refused() {
        if (!requested) {
            requested = true; // a racing second request only schedules a mark that finds the bit already cleared
            channel.eventLoop().execute(this::mark);
        }
    }

    private void mark() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out == null || !channel.isActive()) {
            return; // closed: nothing to report any more
        }
        if (out.getUserDefinedWritability(BIT)) {
            out.setUserDefinedWritability(BIT, false);
            awaitDrained();
        }
    }

    /** Sets the bit again once the bytes queued before now are written and the queue is small; else waits again. */
    private void awaitDrained() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            if (!f.isSuccess() || out == null || !channel.isActive()) {
                return; // closed
            }
            if (queued.getAsLong() <= resumeAt) {
                requested = false;
                out.setUserDefinedWritability(BIT, true);
            } else {
                awaitDrained();
            }
        });
    }
}
