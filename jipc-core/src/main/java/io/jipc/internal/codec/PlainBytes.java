package io.jipc.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds, eight bytes at a time, the first byte that JSON string content does not hold as itself: a byte
 * of 0x80 and above (UTF-8 beyond ASCII), below 0x20 (a control character), {@code "} or {@code \}.
 * The bytes in between are "plain": printable ASCII that a JSON string literal holds verbatim, which
 * both the parser (no escape, no UTF-8 check) and the writer (no escape) may copy in bulk. Stateless.
 */
final class PlainBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private PlainBytes() {
    }

    /**
     * @return the index of the first byte in {@code b[from, to)} that is not plain, or {@code to} when there
     *         is none; {@code 0 <= from} and {@code to <= b.length}
     */
    static int skip(byte[] b, int from, int to) {
        int p = from;
        if (p + Long.BYTES <= to) {
            // a short string usually ends in its first word: look at that one alone first
            long special = flags(b, p) & HIGH_BITS;
            if (special != 0) {
                return p + (Long.numberOfTrailingZeros(special) >>> 3);
            }
            p += Long.BYTES;
            for (int limit = to - 32; p <= limit; p += 32) {
                // a long run: 32 bytes per step (a counted loop, so the bounds checks are hoisted)
                if (((flags(b, p) | flags(b, p + 8) | flags(b, p + 16) | flags(b, p + 24)) & HIGH_BITS) != 0) {
                    break;
                }
            }
            for (; p + Long.BYTES <= to; p += Long.BYTES) {
                special = flags(b, p) & HIGH_BITS;
                if (special != 0) {
                    return p + (Long.numberOfTrailingZeros(special) >>> 3);
                }
            }
        }
        for (; p < to; p++) {
            byte c = b[p];
            if (c < 0x20 || c == '"' || c == '\\') { // negative: 0x80 and above
                return p;
            }
        }
        return to;
    }

    /**
     * The eight bytes {@code b[i, i + 8)} read as one little-endian word, with the high bit of each byte that
     * is not plain set: exact up to the first such byte (the bytes after it may be flagged falsely), so no
     * high bit is set when all eight are plain. The other bits mean nothing.
     */
    static long flags(byte[] b, int i) {
        long x = (long) LONGS.get(b, i);
        // Two byte-wise subtractions, each borrowing out of a byte only where that byte is itself flagged:
        // (x ^ 0x5C) - 1 sets the high bit for '\' (0x00 - 1) and for every byte of 0x80 and above but 0xDC
        // (0x80 - 1); (x ^ 0x02) - 0x21 sets it for the bytes below 0x20 and '"' (which become 0x00..0x20)
        // and for 0xDC (0xDE - 0x21). A plain byte gives 0x00..0x7E in the first and 0x00..0x5E in the second.
        return ((x ^ 0x5C5C5C5C5C5C5C5CL) - ONES) | ((x ^ 0x0202020202020202L) - 0x2121212121212121L);
    }
}
