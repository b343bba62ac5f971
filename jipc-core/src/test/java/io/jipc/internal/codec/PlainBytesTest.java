package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PlainBytes#skip} against a byte-by-byte reference, for every byte value at every position and start. */
@Timeout(60)
class PlainBytesTest {
    private static boolean plain(byte c) {
        return c >= 0x20 && c != '"' && c != '\\'; // negative: 0x80 and above
    }

    private static int naive(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!plain(b[i])) {
                return i;
            }
        }
        return to;
    }

    @Test
    void everyByteValueAtEveryPositionOfEveryStep() {
        // lengths covering the first word, the 32-byte steps, the 8-byte steps and the byte tail, from every start mod 8
        for (int n = 0; n <= 90; n++) {
            for (int from = 0; from <= Math.min(n, 9); from++) {
                byte[] b = new byte[n];
                Arrays.fill(b, (byte) 'a');
                assertThat(PlainBytes.skip(b, from, n)).isEqualTo(n);
                for (int at = from; at < n; at++) {
                    for (int v = 0; v < 256; v++) {
                        b[at] = (byte) v;
                        assertThat(PlainBytes.skip(b, from, n)).as("n=%d from=%d at=%d byte=%x", n, from, at, v)
                            .isEqualTo(plain((byte) v) ? n : at);
                        if (at + 1 < n) {
                            // a special byte right after: its borrow must not hide or move the first one
                            b[at + 1] = (byte) (v == 0 ? 0xDC : 0x1F);
                            assertThat(PlainBytes.skip(b, from, n)).isEqualTo(plain((byte) v) ? at + 1 : at);
                            b[at + 1] = 'a';
                        }
                    }
                    b[at] = 'a';
                }
                // bytes before from are not looked at
                if (from > 0) {
                    b[from - 1] = '"';
                    assertThat(PlainBytes.skip(b, from, n)).isEqualTo(n);
                }
            }
        }
    }

    @Test
    void randomMixturesAndEveryPairOfSpecialBytes() {
        Random r = new Random(5);
        byte[] specials = {0, 0x1F, '"', '\\', (byte) 0x80, (byte) 0xDC, (byte) 0xFF, (byte) 0xA1, (byte) 0xDE};
        byte[] plains = {' ', '!', '#', '[', ']', '_', 0x7E, 0x7F, 'x', '0'};
        for (int round = 0; round < 20000; round++) {
            byte[] b = new byte[r.nextInt(200)];
            int density = 1 + r.nextInt(300);
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(density) == 0 ? specials[r.nextInt(specials.length)] : plains[r.nextInt(plains.length)];
            }
            int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            int to = from + r.nextInt(b.length - from + 1);
            assertThat(PlainBytes.skip(b, from, to)).isEqualTo(naive(b, from, to));
        }
    }

    @Test
    void flagsHaveNoHighBitForAllPlainWords() {
        for (int v = 0; v < 256; v++) {
            byte[] b = new byte[8];
            Arrays.fill(b, (byte) v);
            boolean flagged = (PlainBytes.flags(b, 0) & 0x8080808080808080L) != 0;
            assertThat(flagged).as("byte %x", v).isEqualTo(!plain((byte) v));
        }
    }
}
