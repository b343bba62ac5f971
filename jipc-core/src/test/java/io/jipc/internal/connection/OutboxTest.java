package io.jipc.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The outbox's chunk life cycle: the chunk's view or a slice per take, reuse once written, trim and dispose. */
@Timeout(10)
class OutboxTest {
    private static final UnpooledByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    /** Counts the chunks the outbox asks for. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        final AtomicInteger direct = new AtomicInteger();

        CountingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            direct.incrementAndGet();
            // no leak-detection wrapper (paranoid in this build): the tests tell a chunk from its slices
            return UNTRACKED.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private final CountingAllocator alloc = new CountingAllocator();
    private final AtomicInteger schedules = new AtomicInteger();
    private final Outbox outbox = new Outbox(alloc, schedules::incrementAndGet, true);
    private final List<ByteBuf> chunks = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        outbox.dispose();
        for (ByteBuf b : chunks) {
            assertThat(b.refCnt()).as("every chunk released once its slices are").isZero();
        }
    }

    private static ByteBuf frame(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    /** A frame in direct memory (the outbox copies heap frames up to a chunk's size, direct ones up to 4 KiB). */
    private static ByteBuf directFrame(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.directBuffer(b.length).writeBytes(b);
    }

    /** @return the chunk a taken buffer shows: the chunk itself, or the one a slice is of */
    private static ByteBuf chunkOf(ByteBuf taken) {
        ByteBuf parent = taken.unwrap();
        return parent != null ? parent : taken;
    }

    /** Takes, reads every buffer as text and releases it (what a written channel does). */
    private List<String> takeAndWrite() {
        ArrayDeque<ByteBuf> taken = outbox.take();
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = taken.poll()) != null) {
            ByteBuf chunk = chunkOf(b);
            if (chunks.stream().noneMatch(c -> c == chunk)) { // identity: equals compares bytes
                chunks.add(chunk);
            }
            out.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out;
    }

    @Test
    void aTakeSlicesTheOpenChunkAndLaterAppendsFillTheRestOfIt() {
        outbox.append(frame("a\f"));
        outbox.append(frame("bc\f"));
        assertThat(outbox.bytes()).isEqualTo(5);
        assertThat(takeAndWrite()).containsExactly("a\fbc\f");
        outbox.append(frame("d\f"));
        assertThat(takeAndWrite()).containsExactly("d\f");
        assertThat(alloc.direct.get()).as("one chunk for both takes").isEqualTo(1);
        assertThat(schedules.get()).as("one take scheduled per batch of appends").isEqualTo(2);
    }

    @Test
    void aFullChunkWhoseSlicesAreAllWrittenIsFilledAgain() {
        byte[] piece = new byte[Outbox.COALESCE_MAX];
        for (int round = 0; round < 10; round++) {
            outbox.append(Unpooled.wrappedBuffer(piece));
            assertThat(takeAndWrite()).hasSize(1);
        }
        assertThat(alloc.direct.get()).as("the chunk is cleared and reused, not replaced").isEqualTo(1);
    }

    @Test
    void aFullChunkStillInFlightIsKeptAndFilledAgainOnceWritten() {
        byte[] piece = new byte[Outbox.COALESCE_MAX];
        List<ByteBuf> inFlight = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            outbox.append(Unpooled.wrappedBuffer(piece));
            ArrayDeque<ByteBuf> taken = outbox.take();
            inFlight.addAll(taken);
            taken.clear(); // emptied before the next take, as the contract asks
        }
        assertThat(alloc.direct.get()).isEqualTo(2); // 4 pieces fill the first chunk
        ByteBuf first = chunkOf(inFlight.get(0));
        assertThat(first.refCnt()).as("the outbox and four slices").isEqualTo(5);
        inFlight.forEach(ByteBuf::release);
        assertThat(first.refCnt()).isEqualTo(1);
        for (int round = 0; round < 4; round++) { // fill the second chunk, then the spare is taken again
            outbox.append(Unpooled.wrappedBuffer(piece));
            takeAndWrite();
        }
        assertThat(alloc.direct.get()).as("two chunks in turn").isEqualTo(2);
        outbox.dispose();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void filledChunksStillInFlightAreKeptAndReusedOldestFirstOnceWritten() {
        byte[] piece = new byte[Outbox.COALESCE_MAX];
        List<ByteBuf> inFlight = new ArrayList<>();
        for (int round = 0; round < 9; round++) { // two full chunks, nothing written yet
            outbox.append(Unpooled.wrappedBuffer(piece));
            ArrayDeque<ByteBuf> taken = outbox.take();
            inFlight.addAll(taken);
            taken.clear();
        }
        assertThat(alloc.direct.get()).isEqualTo(3);
        ByteBuf first = chunkOf(inFlight.get(0));
        assertThat(first.refCnt()).as("the outbox and four slices").isEqualTo(5);
        ByteBuf thirdsSlice = inFlight.remove(inFlight.size() - 1); // the third chunk stays in the channel
        inFlight.forEach(ByteBuf::release);
        assertThat(first.refCnt()).as("kept for reuse").isEqualTo(1);
        for (int round = 0; round < 7; round++) { // the rest of the third chunk, then the first one again
            outbox.append(Unpooled.wrappedBuffer(piece));
            takeAndWrite();
        }
        assertThat(alloc.direct.get()).as("the oldest filled chunk is the next open one").isEqualTo(3);
        assertThat(chunks).contains(first);
        chunks.add(chunkOf(thirdsSlice));
        thirdsSlice.release();
        outbox.dispose();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void theOpenChunksViewGoesItselfWhenTheChannelHoldsNoneOfTheChunkElseASlice() {
        outbox.append(frame("a\f"));
        ByteBuf first = outbox.take().poll();
        ByteBuf chunk = first.unwrap();
        assertThat(chunk).as("a view of the chunk: appends go on into the rest of it").isNotNull();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("a\f");
        outbox.append(frame("b\f")); // the channel still holds "a\f"
        ByteBuf second = outbox.take().poll();
        assertThat(second).as("a slice of its own: the view's indexes are the channel's").isNotSameAs(first);
        assertThat(chunkOf(second)).isSameAs(chunk);
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("a\f");
        assertThat(second.toString(StandardCharsets.US_ASCII)).isEqualTo("b\f");
        first.release();
        second.release();
        outbox.append(frame("c\f"));
        ByteBuf third = outbox.take().poll();
        assertThat(third).as("nobody else holds the chunk: the same view, no object made").isSameAs(first);
        assertThat(third.toString(StandardCharsets.US_ASCII)).isEqualTo("c\f");
        third.release();
        String rest = "r".repeat(Outbox.CHUNK - 6); // after "a\fb\fc\f": the chunk's last byte
        outbox.append(frame(rest));
        ByteBuf whole = outbox.take().poll();
        assertThat(whole).as("the full chunk's view").isSameAs(first);
        assertThat(whole.toString(StandardCharsets.US_ASCII)).isEqualTo(rest);
        outbox.append(frame("d\f")); // no room: the next chunk, the full one still in the channel
        ByteBuf next = outbox.take().poll();
        assertThat(chunkOf(next)).isNotSameAs(chunk);
        assertThat(next.toString(StandardCharsets.US_ASCII)).isEqualTo("d\f");
        chunks.add(chunkOf(next));
        next.release();
        whole.release();
        chunks.add(chunk);
    }

    @Test
    void heapFramesUpToAChunkAreCopiedAndDirectOnesAbove4KiBQueuedAsTheyAre() {
        String mid = "M".repeat(Outbox.CHUNK - 2); // does not fit after s0: the next chunk
        outbox.append(frame("s0\f"));
        outbox.append(frame(mid));
        assertThat(takeAndWrite()).as("copied: a chunk per fill").containsExactly("s0\f", mid);
        ByteBuf direct = directFrame(mid);
        outbox.append(direct.retain());
        ArrayDeque<ByteBuf> taken = outbox.take();
        assertThat(taken.poll()).as("queued as it is").isSameAs(direct);
        direct.release(2);
    }

    @Test
    void largeFramesKeepTheirPlaceBetweenSmallOnes() {
        String large = "L".repeat(Outbox.COALESCE_MAX + 1);
        outbox.append(frame("s1\f"));
        outbox.append(directFrame(large));
        outbox.append(frame("s2\f"));
        assertThat(takeAndWrite()).containsExactly("s1\f", large, "s2\f");
        outbox.append(frame("s3\f"));
        outbox.append(directFrame(large));
        assertThat(takeAndWrite()).containsExactly("s3\f", large);
        assertThat(outbox.bytes()).isEqualTo(3 * 3 + 2L * large.length());
        outbox.handedOver(outbox.bytes());
        assertThat(outbox.bytes()).isZero();
    }

    @Test
    void smallHeapAndDirectFramesAreCopiedIntoTheSameChunkInOrder() {
        outbox.append(frame("h1\f"));
        outbox.append(directFrame("d1\f"));
        outbox.append(Unpooled.wrappedBuffer("xxh2\fyy".getBytes(StandardCharsets.US_ASCII), 2, 3)); // an array offset
        outbox.append(directFrame("d2\f"));
        assertThat(takeAndWrite()).containsExactly("h1\fd1\fh2\fd2\f");
        assertThat(alloc.direct.get()).isEqualTo(1);
    }

    @Test
    void trimDropsAnIdleChunkButNotOneWithBytesToTake() {
        outbox.append(frame("x\f"));
        outbox.trim();
        assertThat(takeAndWrite()).containsExactly("x\f"); // a take was pending: nothing dropped
        ByteBuf chunk = chunks.get(0);
        assertThat(chunk.refCnt()).isEqualTo(1);
        outbox.trim();
        assertThat(chunk.refCnt()).isZero();
        outbox.append(frame("y\f"));
        assertThat(takeAndWrite()).containsExactly("y\f");
        assertThat(alloc.direct.get()).isEqualTo(2);
    }

    @Test
    void disposeReleasesTheOpenChunkEvenWithSlicesOut() {
        outbox.append(frame("x\f"));
        ArrayDeque<ByteBuf> taken = outbox.take();
        ByteBuf slice = taken.poll();
        outbox.dispose();
        assertThat(slice.refCnt()).isEqualTo(1);
        slice.release();
        assertThat(chunkOf(slice).refCnt()).isZero();
    }

    @Test
    void appendCopyLeavesTheCallersFrameAlone() {
        ByteBuf mine = frame("keep\f");
        outbox.appendCopy(mine);
        assertThat(takeAndWrite()).containsExactly("keep\f");
        assertThat(mine.refCnt()).isEqualTo(1);
        assertThat(mine.readableBytes()).isEqualTo(5);
        mine.release();
    }

    @Test
    void anOutboxThatMayNotHandItsChunkHandsSlicesWhoseCapacityEndsWithTheirBytes() {
        Outbox sliced = new Outbox(alloc, schedules::incrementAndGet, false);
        sliced.append(frame("a\f"));
        ArrayDeque<ByteBuf> taken = sliced.take();
        ByteBuf first = taken.poll();
        assertThat(first.unwrap()).as("a slice, even though nobody else holds the chunk").isNotNull();
        assertThat(first.isWritable()).as("nothing may be appended to it").isFalse();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("a\f");
        ByteBuf chunk = first.unwrap();
        first.release();
        sliced.dispose();
        assertThat(chunk.refCnt()).isZero();
    }
}
