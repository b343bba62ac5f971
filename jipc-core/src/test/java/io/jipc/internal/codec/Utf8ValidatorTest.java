package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Utf8ValidatorTest {

    private static int firstInvalid(byte[] bytes) {
        return Utf8Validator.firstInvalid(bytes, 0, bytes.length);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static final String[] VALID = {
        "", "41", "7f", "c2 80", "c2 bf", "df bf", "e0 a0 80", "e0 bf bf", "e1 80 80", "ec bf bf", "ed 80 80",
        "ed 9f bf", "ee 80 80", "ef bf bf", "ef bb bf", "e2 80 a8", "f0 90 80 80", "f0 bf bf bf", "f1 80 80 80",
        "f3 bf bf bf", "f4 80 80 80", "f4 8f bf bf", "f0 9f 98 80",
    };

    /** Each is invalid at index 0. */
    private static final String[] INVALID = {
        "80", "bf", "c0 80", "c0 af", "c1 bf", "e0 80 80", "e0 9f bf", "ed a0 80", "ed bf bf", "ed af bf ed b0 80",
        "f0 80 80 80", "f0 8f bf bf", "f4 90 80 80", "f4 bf bf bf", "f5 80 80 80", "f7 bf bf bf", "f8 88 80 80 80",
        "fc 84 80 80 80 80", "fe", "ff", "c2", "c2 41", "c2 c2 80", "e0 a0", "e1 80", "e1 41 80", "e1 80 41",
        "f0 90 80", "f0 90", "f1", "f1 80 80 41", "f1 80 41 80", "e1 80 c2 80",
    };

    @Test
    void validSequences() {
        for (String v : VALID) {
            assertThat(firstInvalid(hex(v))).as(v).isEqualTo(-1);
        }
        assertThat(firstInvalid("héllo wörld 😀 日本 \u2028".repeat(50).getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void invalidSequencesAfterEveryPrefixLength() {
        for (String inv : INVALID) {
            byte[] bad = hex(inv);
            for (int prefix = 0; prefix <= 20; prefix++) {
                byte[] b = new byte[prefix + bad.length + (prefix % 3 == 0 ? 0 : 9)];
                java.util.Arrays.fill(b, (byte) 'a');
                if (prefix % 2 == 1 && prefix >= 2) {
                    b[prefix - 2] = (byte) 0xc3; // a valid 2-byte sequence in front
                    b[prefix - 1] = (byte) 0xa9;
                }
                System.arraycopy(bad, 0, b, prefix, bad.length); // at the end or followed by 'a's
                assertThat(firstInvalid(b)).as("%s after %d bytes", inv, prefix).isEqualTo(prefix);
            }
        }
    }

    @Test
    void respectsRangeBounds() {
        byte[] b = hex("ff 41 42 e2 80 a8 43 80");
        assertThat(Utf8Validator.firstInvalid(b, 0, b.length)).isZero();
        assertThat(Utf8Validator.firstInvalid(b, 1, 7)).isEqualTo(-1);
        assertThat(Utf8Validator.firstInvalid(b, 1, 5)).isEqualTo(3); // truncated by 'to'
        assertThat(Utf8Validator.firstInvalid(b, 1, 8)).isEqualTo(7);
        assertThat(Utf8Validator.firstInvalid(b, 4, 7)).isEqualTo(4);
        assertThat(Utf8Validator.firstInvalid(b, 3, 3)).isEqualTo(-1);
        byte[] longer = new byte[29]; // past the eight-byte steps: ASCII, then a lone surrogate
        System.arraycopy("0123456789abcdef0123456789".getBytes(StandardCharsets.US_ASCII), 0, longer, 0, 26);
        System.arraycopy(hex("ed a0 80"), 0, longer, 26, 3);
        assertThat(Utf8Validator.firstInvalid(longer, 0, longer.length)).isEqualTo(26);
        assertThat(Utf8Validator.firstInvalid(longer, 3, 26)).isEqualTo(-1);
    }

    /** Agreement with the JDK's strict decoder on 100,000 near-valid random byte arrays. */
    @Test
    void agreesWithCharsetDecoder() {
        SplittableRandom rnd = new SplittableRandom(20240601);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int invalid = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] b = nearValid(rnd);
            int expected = jdkFirstInvalid(decoder, b);
            if (expected >= 0) {
                invalid++;
            }
            assertThat(firstInvalid(b)).as("bytes %s", HexFormat.of().formatHex(b)).isEqualTo(expected);
        }
        assertThat(invalid).isBetween(20_000, 80_000);
    }

    private static int jdkFirstInvalid(CharsetDecoder decoder, byte[] b) {
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length * 2 + 2);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            return in.position();
        }
        r = decoder.flush(out);
        return r.isError() ? in.position() : -1;
    }

    private static byte[] nearValid(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        int parts = rnd.nextInt(1, 12);
        for (int i = 0; i < parts; i++) {
            switch (rnd.nextInt(5)) {
                case 0 -> sb.append("abcdefghijklmnop", 0, rnd.nextInt(1, 17));
                case 1 -> sb.append((char) rnd.nextInt(0x80, 0x800));
                case 2 -> sb.append((char) rnd.nextInt(0x800, 0xd800));
                case 3 -> sb.append((char) rnd.nextInt(0xe000, 0x10000));
                default -> sb.appendCodePoint(rnd.nextInt(0x10000, 0x110000));
            }
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        int mutations = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1, 3);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> b[at] = (byte) rnd.nextInt(256);
                case 1 -> b[at] = (byte) rnd.nextInt(0x80, 0xc0);
                case 2 -> b[at] = (byte) (0xc0 | rnd.nextInt(0x40)); // any lead byte
                case 3 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 4 -> b = java.util.Arrays.copyOf(b, at); // truncate
                default -> { // CESU/overlong-style sequences
                    byte[] pick = hex(new String[] {"ed a0 80", "ed bf bf", "c0 80", "e0 80 80", "f0 80 80 80",
                        "f4 90 80 80", "f5 80 80 80", "e0 a0", "f0 90 80"}[rnd.nextInt(9)]);
                    byte[] nb = new byte[b.length + pick.length];
                    System.arraycopy(b, 0, nb, 0, at);
                    System.arraycopy(pick, 0, nb, at, pick.length);
                    System.arraycopy(b, at, nb, at + pick.length, b.length - at);
                    b = nb;
                }
            }
        }
        return b;
    }
}
