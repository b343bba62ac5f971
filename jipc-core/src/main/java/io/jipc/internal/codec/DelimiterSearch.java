package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finds a delimiter of one or more bytes in a buffer or an array without copying. Stateless. */
public final class DelimiterSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private DelimiterSearch() {
    }

    /**
     * @return the index of the first complete occurrence of {@code delimiter} starting in
     *         {@code [from, to - delimiter.length]}, or -1
     */
    public static int indexOf(ByteBuf in, int from, int to, byte[] delimiter) {
        byte first = delimiter[0];
        if (delimiter.length == 1) {
            return from >= to ? -1 : in.indexOf(from, to, first);
        }
        int last = to - delimiter.length;
        int i = from;
        while (i <= last) {
            int hit = in.indexOf(i, last + 1, first);
            if (hit < 0) {
                return -1;
            }
            if (matchesRest(in, hit, delimiter)) {
                return hit;
            }
            i = hit + 1;
        }
        return -1;
    }

    /** As {@link #indexOf(ByteBuf, int, int, byte[])}, in {@code a[from, to)}; the result indexes {@code a}. */
    public static int indexOf(byte[] a, int from, int to, byte[] delimiter) {
        byte first = delimiter[0];
        int last = to - delimiter.length;
        int i = from;
        while (i <= last) {
            int hit = indexOf(a, i, last + 1, first);
            if (hit < 0) {
                return -1;
            }
            if (matchesRest(a, hit, delimiter)) {
                return hit;
            }
            i = hit + 1;
        }
        return -1;
    }

    /** @return the index of the first {@code value} in {@code a[from, to)}, or -1; eight bytes per step */
    static int indexOf(byte[] a, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (int limit = to - 32; i <= limit; i += 32) {
            // long frames: 32 bytes per step (a counted loop, so the bounds checks are hoisted out of it)
            if ((hits(a, i, pattern) | hits(a, i + 8, pattern) | hits(a, i + 16, pattern) | hits(a, i + 24, pattern)) != 0) {
                break;
            }
        }
        for (; i + 8 <= to; i += 8) {
            long found = hits(a, i, pattern);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the high bit of each byte of {@code a[i, i + 8)} equal to the byte {@code pattern} repeats, in
     *         little-endian order; exact up to the first such byte, 0 when there is none
     */
    private static long hits(byte[] a, int i, long pattern) {
        long x = (long) LONGS.get(a, i) ^ pattern; // zero bytes where a[i + k] == value
        return (x - ONES) & ~x & HIGH_BITS;
    }

    private static boolean matchesRest(ByteBuf in, int at, byte[] delimiter) {
        for (int k = 1; k < delimiter.length; k++) {
            if (in.getByte(at + k) != delimiter[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesRest(byte[] a, int at, byte[] delimiter) {
        for (int k = 1; k < delimiter.length; k++) {
            if (a[at + k] != delimiter[k]) {
                return false;
            }
        }
        return true;
    }
}
