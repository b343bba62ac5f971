package io.jipc.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629 / Unicode Table 3-7 well-formed byte sequences).
 *
 * <p>Rejected: stray continuation bytes (80..BF as a lead), overlong forms (C0, C1, E0 80..9F,
 * F0 80..8F), UTF-16 surrogates encoded as UTF-8 (ED A0..BF), code points above U+10FFFF
 * (F4 90..BF, F5..FF), and sequences truncated by the end of the range.
 *
 * <p>Does not move the buffer's reader or writer index. Stateless and thread-safe. Indices outside
 * the buffer's capacity cause Netty's {@link IndexOutOfBoundsException}.
 */
public final class Utf8Validator {
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8Validator() {}

    /**
     * @return the index in {@code a} of the first byte of the first ill-formed sequence in {@code a[from, to)} (the
     *         lead byte, or the stray continuation byte), or -1 if the range is entirely well-formed UTF-8
     */
    public static int firstInvalid(byte[] a, int from, int to) {
        int i = from;
        while (i < to) {
            while (i + 8 <= to && ((long) LONGS.get(a, i) & HIGH_BITS) == 0) {
                i += 8; // ASCII fast path
            }
            if (i >= to) {
                break;
            }
            int b0 = a[i] & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int len = sequenceLength(a, i, to, b0);
            if (len == 0) {
                return i;
            }
            i += len;
        }
        return -1;
    }

    /** Length (2..4) of the well-formed sequence starting with lead byte {@code b0} at i, or 0. */
    static int sequenceLength(byte[] a, int i, int to, int b0) {
        if (b0 < 0xC2 || b0 > 0xF4) {
            return 0; // continuation byte as lead, C0/C1 overlong, F5..FF
        }
        if (b0 < 0xE0) {
            return i + 1 < to && isContinuation(a[i + 1]) ? 2 : 0;
        }
        if (i + 1 >= to) {
            return 0;
        }
        int b1 = a[i + 1] & 0xFF;
        int min = 0x80;
        int max = 0xBF;
        if (b0 == 0xE0) {
            min = 0xA0; // overlong 3-byte
        } else if (b0 == 0xED) {
            max = 0x9F; // surrogates D800..DFFF
        } else if (b0 == 0xF0) {
            min = 0x90; // overlong 4-byte
        } else if (b0 == 0xF4) {
            max = 0x8F; // above U+10FFFF
        }
        if (b1 < min || b1 > max) {
            return 0;
        }
        if (b0 < 0xF0) {
            return i + 2 < to && isContinuation(a[i + 2]) ? 3 : 0;
        }
        return i + 3 < to && isContinuation(a[i + 2]) && isContinuation(a[i + 3]) ? 4 : 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
