package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;

/** Finds a delimiter of one or more bytes in a buffer without copying. Stateless. */
public final class DelimiterSearch {
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

    private static boolean matchesRest(ByteBuf in, int at, byte[] delimiter) {
        for (int k = 1; k < delimiter.length; k++) {
            if (in.getByte(at + k) != delimiter[k]) {
                return false;
            }
        }
        return true;
    }
}
