package io.jipc.internal.buffer;

import static io.jipc.internal.buffer.RawBuffersTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.testing.FreshThread;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrameScratch}: one lend per thread at a time, exact-size copies, recycled small frames. */
@Timeout(30)
class FrameScratchTest {

    private static ByteBuf build(byte[] content) {
        try (FrameScratch s = FrameScratch.lend()) {
            assertThat(s).isNotNull();
            assertThat(s.buffer().readableBytes()).as("lent empty").isZero();
            s.buffer().writeBytes(content);
            return s.copy(ByteBufAllocator.DEFAULT);
        }
    }

    @Test
    void aSmallCopyIsARecycledFrameReusedOnceReleased() throws Exception {
        FreshThread.run(() -> {
            ByteBuf a = build(bytes(100));
            assertThat(a).isInstanceOf(RawFrame.class);
            assertThat(ByteBufUtil.getBytes(a)).isEqualTo(bytes(100));
            a.release();
            ByteBuf b = build(bytes(90)); // same size class
            assertThat(b).isSameAs(a);
            assertThat(ByteBufUtil.getBytes(b)).isEqualTo(bytes(90));
            b.release();
        });
    }

    @Test
    void aLargeCopyComesFromTheAllocatorAtItsExactSize() throws Exception {
        FreshThread.run(() -> {
            byte[] content = bytes(FrameScratch.MAX_CACHED + 1);
            ByteBuf big = build(content);
            assertThat(big).isNotInstanceOf(RawFrame.class);
            assertThat(ByteBufUtil.getBytes(big)).isEqualTo(content);
            big.release();
        });
    }

    @Test
    void aFullFrameCacheFallsBackToHeapCopies() throws Exception {
        FreshThread.run(() -> {
            List<ByteBuf> held = new ArrayList<>();
            ByteBuf last;
            do {
                last = build(bytes(FrameScratch.MAX_CACHED));
                held.add(last);
            } while (last instanceof RawFrame && held.size() <= FrameCache.MAX_BYTES / FrameScratch.MAX_CACHED);
            assertThat(last).isNotInstanceOf(RawFrame.class);
            assertThat(last.hasArray()).isTrue();
            assertThat(ByteBufUtil.getBytes(last)).isEqualTo(bytes(FrameScratch.MAX_CACHED));
            held.forEach(ByteBuf::release);
        });
    }

    @Test
    void oneLendAtATimePerThread() throws Exception {
        FreshThread.run(() -> {
            FrameScratch outer = FrameScratch.lend();
            assertThat(outer).isNotNull();
            assertThat(FrameScratch.lend()).as("re-entered while lent").isNull();
            outer.close();
            try (FrameScratch again = FrameScratch.lend()) {
                assertThat(again).isSameAs(outer);
            }
        });
    }

    @Test
    void anAttachmentStaysWithTheThreadsScratchAndNoOtherThreadSeesIt() throws Exception {
        Object state = new Object();
        FreshThread.run(() -> {
            try (FrameScratch s = FrameScratch.lend()) {
                assertThat(s.attachment()).isNull();
                s.attach(state);
            }
            try (FrameScratch s = FrameScratch.lend()) {
                assertThat(s.attachment()).isSameAs(state);
            }
        });
        FreshThread.run(() -> {
            try (FrameScratch s = FrameScratch.lend()) {
                assertThat(s.attachment()).as("another thread's scratch").isNull();
            }
        });
    }

    @Test
    void aScratchGrownBeyondTheKeptSizeIsDropped() throws Exception {
        FreshThread.run(() -> {
            ByteBuf kept;
            try (FrameScratch s = FrameScratch.lend()) {
                kept = s.buffer();
                s.buffer().writeBytes(bytes(1000));
            }
            try (FrameScratch s = FrameScratch.lend()) {
                assertThat(s.buffer()).as("small: kept").isSameAs(kept);
                s.buffer().writeBytes(bytes(FrameScratch.MAX_KEPT + 1));
                ByteBuf copy = s.copy(ByteBufAllocator.DEFAULT);
                assertThat(ByteBufUtil.getBytes(copy)).isEqualTo(bytes(FrameScratch.MAX_KEPT + 1));
                copy.release();
            }
            try (FrameScratch s = FrameScratch.lend()) {
                assertThat(s.buffer()).as("grown: replaced").isNotSameAs(kept);
                assertThat(s.buffer().capacity()).isLessThanOrEqualTo(FrameScratch.MAX_KEPT);
            }
        });
    }
}
