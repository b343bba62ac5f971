package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reads pile up in one heap buffer; every input is released or returned, every replaced cumulation released. */
@Timeout(10)
class HeapCumulatorTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf direct(String s) {
        ByteBuf b = Unpooled.directBuffer();
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
        return b;
    }

    private static ByteBuf cumulate(ByteBuf cumulation, ByteBuf in) {
        return HeapCumulator.INSTANCE.cumulate(ALLOC, cumulation, in);
    }

    @Test
    void aHeapReadWithNothingPendingIsTakenAsItIs() {
        ByteBuf in = Unpooled.copiedBuffer("abc\f", StandardCharsets.US_ASCII);
        ByteBuf empty = Unpooled.buffer(0);
        assertThat(cumulate(empty, in)).isSameAs(in);
        assertThat(empty.refCnt()).isZero();
        in.release();
    }

    @Test
    void directReadsAreCopiedOnceIntoOneHeapBufferThatKeepsGrowingInPlace() {
        ByteBuf first = direct("{\"type\":\"a\"");
        ByteBuf c = cumulate(Unpooled.EMPTY_BUFFER, first);
        assertThat(c.hasArray()).isTrue();
        assertThat(first.refCnt()).isZero();
        c.skipBytes(2); // the decoder consumed some
        ByteBuf second = direct(",\"data\":1}\f");
        ByteBuf same = cumulate(c, second);
        assertThat(same).isSameAs(c);
        assertThat(second.refCnt()).isZero();
        assertThat(same.toString(StandardCharsets.US_ASCII)).isEqualTo("type\":\"a\",\"data\":1}\f");
        same.release();
    }

    @Test
    void aFullOrSharedCumulationIsReplacedByALargerOneHoldingBoth() {
        ByteBuf small = Unpooled.buffer(4, 4).writeBytes(new byte[] {'a', 'b', 'c', 'd'});
        small.readByte();
        ByteBuf in = direct("efgh");
        ByteBuf grown = cumulate(small, in);
        assertThat(grown).isNotSameAs(small);
        assertThat(small.refCnt()).isZero();
        assertThat(in.refCnt()).isZero();
        assertThat(grown.toString(StandardCharsets.US_ASCII)).isEqualTo("bcdefgh");

        grown.retain(); // shared (say a retained slice is out): must not be written into
        ByteBuf more = direct("i");
        ByteBuf next = cumulate(grown, more);
        assertThat(next).isNotSameAs(grown);
        assertThat(grown.refCnt()).isEqualTo(1);
        assertThat(next.toString(StandardCharsets.US_ASCII)).isEqualTo("bcdefghi");
        grown.release();
        next.release();
    }
}
