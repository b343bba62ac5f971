package io.jipc.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link StreamConnection} lets its outbox drop the send chunks after a drain: at once when the channel took
 * every byte, {@link StreamConnection#TRIM_LATER_MS} later when the channel still holds bytes (the writer is then
 * likely pausing for backpressure and will want the chunks again). Seen through the chunk's reference count: the
 * outbox holds one reference until it drops the chunk.
 */
@Timeout(30)
class DeferredTrimTest {
    /** A channel that, while stalled, keeps what is flushed in its outbound buffer, as a socket with a full buffer does. */
    private static final class StallingChannel extends EmbeddedChannel {
        boolean stalled;

        @Override
        protected void doWrite(ChannelOutboundBuffer in) throws Exception {
            if (!stalled) {
                super.doWrite(in);
            }
        }
    }

    private static final ConnectionListener IGNORE = IgnoringListener.INSTANCE;

    /** Offers one small frame and runs the drain; @return the chunk the frame was copied into (still written or not) */
    private static ByteBuf offerAndDrain(StallingChannel ch, StreamConnection c) {
        assertThat(c.offer(Unpooled.wrappedBuffer(new byte[100]))).isTrue();
        ch.runPendingTasks(); // the drain the offer scheduled
        return ch.unsafe().outboundBuffer().totalPendingWriteBytes() > 0 ? null : written(ch);
    }

    /** @return the chunk behind the one buffer the channel wrote, after letting go of that buffer */
    private static ByteBuf written(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out.readableBytes()).isEqualTo(100);
        ByteBuf chunk = out;
        while (chunk.unwrap() != null) {
            chunk = chunk.unwrap(); // a slice (under a leak-detector wrapper in tests) of the chunk
        }
        out.release();
        return chunk;
    }

    /** A plain connection on {@code ch}, whose clock stands still until advanced. */
    private static StreamConnection connection(StallingChannel ch) {
        ch.freezeTime();
        return new StreamConnection(ch, true, false, 1 << 20, IGNORE);
    }

    /** Offers a frame while the channel is stalled, then lets the channel write it; @return the chunk it was in */
    private static ByteBuf drainWhileStalled(StallingChannel ch, StreamConnection c) {
        ch.stalled = true;
        assertThat(offerAndDrain(ch, c)).as("the bytes stay in the channel").isNull();
        ch.stalled = false;
        ch.flush(); // the peer reads again: the channel writes what it held
        return written(ch);
    }

    @Test
    void chunksAreDroppedAtOnceWhenTheChannelTookEverything() {
        StallingChannel ch = new StallingChannel();
        try {
            ByteBuf chunk = offerAndDrain(ch, connection(ch));
            assertThat(chunk.refCnt()).as("dropped by the drain's trim").isZero();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void chunksAreKeptWhileTheChannelHoldsBytesAndDroppedTrimLaterMsAfterTheDrain() {
        StallingChannel ch = new StallingChannel();
        try {
            ByteBuf chunk = drainWhileStalled(ch, connection(ch));
            assertThat(chunk.refCnt()).as("the outbox still holds the chunk").isEqualTo(1);

            ch.advanceTimeBy(StreamConnection.TRIM_LATER_MS - 1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertThat(chunk.refCnt()).as("kept until the deferred trim").isEqualTo(1);

            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            assertThat(chunk.refCnt()).as("dropped by the deferred trim").isZero();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aWriterThatResumesBeforeTheDeferredTrimFillsTheSameChunk() {
        StallingChannel ch = new StallingChannel();
        try {
            StreamConnection c = connection(ch);
            ByteBuf first = drainWhileStalled(ch, c);
            ByteBuf second = offerAndDrain(ch, c);
            assertThat(second).as("the kept chunk is filled on").isSameAs(first);
            assertThat(first.refCnt()).as("and dropped by this drain, the channel having taken everything").isZero();
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
