package io.jipc.internal.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.testing.FreshThread;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The raw-mode buffer helpers: recycled send frames ({@link RawCopy}) and borrowed receive views ({@link BorrowedView}). */
@Timeout(30)
class RawBuffersTest {
    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void aReleasedFrameIsReusedByItsThreadAndHoldsTheNewBytes() throws Exception {
        FreshThread.run(this::reusedByItsThread);
    }

    private void reusedByItsThread() {
        ByteBuf a = RawCopy.of(bytes(100));
        assertThat(a).isInstanceOf(RawFrame.class);
        assertThat(ByteBufUtil.getBytes(a)).isEqualTo(bytes(100));
        a.release();
        ByteBuf b = RawCopy.of(bytes(70)); // same size class (65..128 B)
        assertThat(b).isSameAs(a);
        assertThat(b.refCnt()).isEqualTo(1);
        assertThat(ByteBufUtil.getBytes(b)).isEqualTo(bytes(70));
        b.release();
    }

    @Test
    void aFrameReleasedOnAnotherThreadGoesBackToItsOwner() throws Exception {
        FreshThread.run(() -> {
            ByteBuf a = RawCopy.of(bytes(1000));
            CompletableFuture.runAsync(a::release).join();
            ByteBuf b = RawCopy.of(bytes(1000));
            assertThat(b).isSameAs(a);
            b.release();
        });
    }

    @Test
    void aSecondReleaseFailsAndTheFrameIsNotHandedOutTwice() throws Exception {
        FreshThread.run(this::secondReleaseFails);
    }

    private void secondReleaseFails() {
        ByteBuf a = RawCopy.of(bytes(10));
        a.release();
        assertThatThrownBy(a::release).isInstanceOf(IllegalReferenceCountException.class);
        ByteBuf b = RawCopy.of(bytes(10));
        ByteBuf c = RawCopy.of(bytes(10));
        assertThat(b).isNotSameAs(c);
        b.release();
        c.release();
    }

    @Test
    void largeFramesAndAFullCacheComeFromNettysPool() throws Exception {
        FreshThread.run(this::largeAndOverflow);
    }

    private void largeAndOverflow() {
        ByteBuf large = RawCopy.of(bytes(FrameCache.MAX_FRAME + 1));
        assertThat(large).isNotInstanceOf(RawFrame.class);
        assertThat(ByteBufUtil.getBytes(large)).isEqualTo(bytes(FrameCache.MAX_FRAME + 1));
        large.release();
        List<ByteBuf> held = new ArrayList<>();
        try {
            ByteBuf last;
            do {
                last = RawCopy.of(bytes(FrameCache.MAX_FRAME));
                held.add(last);
            } while (last instanceof RawFrame && held.size() <= FrameCache.MAX_BYTES / FrameCache.MAX_FRAME);
            assertThat(held).as("a thread keeps at most MAX_BYTES of frames").hasSize(FrameCache.MAX_BYTES / FrameCache.MAX_FRAME + 1);
            assertThat(last).as("past the per-thread bound").isNotInstanceOf(RawFrame.class);
            assertThat(ByteBufUtil.getBytes(last)).isEqualTo(bytes(FrameCache.MAX_FRAME));
        } finally {
            held.forEach(ByteBuf::release);
        }
    }

    @Test
    void byteBufferSourcesAreCopiedWithoutMovingThem() {
        byte[] data = bytes(5000);
        List<ByteBuffer> sources = List.of(
            ByteBuffer.wrap(data, 100, 300),
            ByteBuffer.allocateDirect(data.length).put(data).flip().position(17),
            ByteBuffer.wrap(data).asReadOnlyBuffer().position(5),
            ByteBuffer.allocateDirect(data.length).put(data).flip().asReadOnlyBuffer().position(9));
        for (ByteBuffer src : sources) {
            int position = src.position();
            byte[] expected = new byte[src.remaining()];
            src.duplicate().get(expected);
            ByteBuf copy = RawCopy.of(src);
            try {
                assertThat(ByteBufUtil.getBytes(copy)).isEqualTo(expected);
                assertThat(src.position()).isEqualTo(position);
            } finally {
                copy.release();
            }
        }
        assertThat(RawCopy.of(ByteBuffer.allocate(0))).isSameAs(Unpooled.EMPTY_BUFFER);
        assertThat(RawCopy.of(new byte[0])).isSameAs(Unpooled.EMPTY_BUFFER);
    }

    @Test
    void aBorrowedViewIsReadOnlyResetAndReusedPerThread() {
        ByteBuf in = Unpooled.wrappedBuffer(bytes(300)).readerIndex(50);
        ByteBuffer first;
        try (BorrowedView v = BorrowedView.of(in)) {
            first = v.view();
            assertThat(first.isReadOnly()).isTrue();
            assertThat(first.remaining()).isEqualTo(250);
            byte[] seen = new byte[250];
            first.get(seen);
            assertThat(seen).isEqualTo(java.util.Arrays.copyOfRange(bytes(300), 50, 300));
            assertThat(v.view().position()).as("reset for the next handler").isZero();
            assertThat(in.readerIndex()).isEqualTo(50);
            try (BorrowedView nested = BorrowedView.of(bytes(10))) {
                assertThat(nested.view()).as("a nested delivery gets its own").isNotSameAs(first);
                assertThat(nested.view().remaining()).isEqualTo(10);
            }
        }
        try (BorrowedView again = BorrowedView.of(bytes(20))) {
            assertThat(again.view()).as("the thread's view is reused").isSameAs(first);
            assertThat(again.view().remaining()).isEqualTo(20);
        }
        in.release();
    }
}
