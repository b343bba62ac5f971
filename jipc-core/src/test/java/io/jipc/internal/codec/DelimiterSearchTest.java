package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DelimiterSearch} on arrays and on buffers against a naive search, at every position and range. */
@Timeout(60)
class DelimiterSearchTest {
    private static int naive(byte[] a, int from, int to, byte[] d) {
        outer:
        for (int i = from; i <= to - d.length; i++) {
            for (int k = 0; k < d.length; k++) {
                if (a[i + k] != d[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void findsTheFirstOccurrenceLikeANaiveSearch() {
        Random r = new Random(11);
        byte[][] delimiters = {{'\f'}, {(byte) 0xFF}, {0}, {'\r', '\n'}, {1, 1, 2}};
        for (byte[] d : delimiters) {
            for (int round = 0; round < 300; round++) {
                byte[] a = new byte[1 + r.nextInt(120)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextInt(40) == 0 ? d[r.nextInt(d.length)] : (byte) (r.nextInt(3) == 0 ? 1 : 'x');
                }
                ByteBuf buf = Unpooled.wrappedBuffer(a);
                for (int from = 0; from < a.length; from += 1 + r.nextInt(5)) {
                    for (int to = from; to <= a.length; to += 1 + r.nextInt(9)) {
                        int expected = naive(a, from, to, d);
                        assertThat(DelimiterSearch.indexOf(a, from, to, d)).isEqualTo(expected);
                        assertThat(DelimiterSearch.indexOf(buf, from, to, d)).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void everyPositionOfALongRunIsSeen() {
        for (int at = 0; at < 100; at++) {
            byte[] a = new byte[100];
            java.util.Arrays.fill(a, (byte) 'x');
            a[at] = '\f';
            assertThat(DelimiterSearch.indexOf(a, 0, a.length, new byte[] {'\f'})).isEqualTo(at);
            assertThat(DelimiterSearch.indexOf(a, 0, at, new byte[] {'\f'})).isEqualTo(-1);
        }
    }

    @Test
    void longRunsFromEveryStartModEight() {
        byte[] d = {'\f'};
        for (int from = 0; from < 16; from++) {
            for (int at = from; at < from + 140; at++) {
                byte[] a = new byte[from + 150];
                java.util.Arrays.fill(a, (byte) 'x');
                a[at] = '\f';
                assertThat(DelimiterSearch.indexOf(a, from, a.length, d)).isEqualTo(at);
                assertThat(DelimiterSearch.indexOf(a, from, at, d)).isEqualTo(-1);
                assertThat(DelimiterSearch.indexOf(a, from, at + 1, d)).isEqualTo(at);
                if (at > from) {
                    a[at - 1] = '\f'; // the first of two
                    assertThat(DelimiterSearch.indexOf(a, from, a.length, d)).isEqualTo(at - 1);
                }
            }
        }
    }
}
