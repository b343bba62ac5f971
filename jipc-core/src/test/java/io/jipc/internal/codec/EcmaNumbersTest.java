package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EcmaNumbersTest {

    private static String written(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer(1); // tiny on purpose: exercises ensureWritable
        try {
            writer.accept(buf);
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }

    private static void check(double d, String expected) {
        assertThat(EcmaNumbers.toString(d)).as("toString(%s)", d).isEqualTo(expected);
        assertThat(written(b -> EcmaNumbers.write(d, b))).as("write(%s)", d).isEqualTo(expected);
    }

    @Test
    void specValues() {
        check(0.0, "0");
        check(-0.0, "0");
        check(1e21, "1e+21");
        check(1e20, "100000000000000000000");
        check(1.5e-7, "1.5e-7");
        check(0.000001, "0.000001");
        check(1e-7, "1e-7");
        check(123.456, "123.456");
        check(Double.MIN_VALUE, "5e-324");
        check(-Double.MIN_VALUE, "-5e-324");
        check(Double.MAX_VALUE, "1.7976931348623157e+308");
        check(0.1 + 0.2, "0.30000000000000004");
        check(0.1, "0.1");
        check(1.0 / 3, "0.3333333333333333");
        check(-1.5, "-1.5");
        check(100, "100");
        check(4.35, "4.35");
        check(0.000001234, "0.000001234");
        check(123456789012345680000.0, "123456789012345680000");
        check(9007199254740992.0, "9007199254740992");
        check(Math.pow(2, 60), "1152921504606847000");
        check(1e300, "1e+300");
        check(1e23, "1e+23");
        check(2e-323, "2e-323");
        check(Double.MIN_NORMAL, "2.2250738585072014e-308");
        check(2.82879384806159e17, "282879384806159000"); // JDK 17 Double.toString is 18 digits here
        check(1.0E-5, "0.00001");
        check(5e-7, "5e-7");
        check(-1e-7, "-1e-7");
        check(1.2345678901234567e-7, "1.2345678901234566e-7"); // as node prints it
    }

    @Test
    void nonFiniteIsNull() {
        check(Double.NaN, "null");
        check(Double.POSITIVE_INFINITY, "null");
        check(Double.NEGATIVE_INFINITY, "null");
    }

    @Test
    void integersFollowJavaScriptPrecision() {
        assertThat(written(b -> EcmaNumbers.write(0L, b))).isEqualTo("0");
        assertThat(written(b -> EcmaNumbers.write(-7L, b))).isEqualTo("-7");
        assertThat(written(b -> EcmaNumbers.write(1L << 53, b))).isEqualTo("9007199254740992");
        assertThat(written(b -> EcmaNumbers.write(-(1L << 53), b))).isEqualTo("-9007199254740992");
        assertThat(written(b -> EcmaNumbers.write((1L << 53) + 1, b))).isEqualTo("9007199254740992");
        assertThat(written(b -> EcmaNumbers.write((1L << 53) + 3, b))).isEqualTo("9007199254740996");
        assertThat(written(b -> EcmaNumbers.write(Long.MAX_VALUE, b))).isEqualTo("9223372036854776000");
        assertThat(written(b -> EcmaNumbers.write(Long.MIN_VALUE, b))).isEqualTo("-9223372036854776000");
        assertThat(written(b -> EcmaNumbers.write(BigInteger.valueOf(42), b))).isEqualTo("42");
        assertThat(written(b -> EcmaNumbers.write(BigInteger.TEN.pow(21), b))).isEqualTo("1e+21");
        assertThat(written(b -> EcmaNumbers.write(BigInteger.TEN.pow(400), b))).isEqualTo("null");
        assertThat(written(b -> EcmaNumbers.write(BigInteger.TWO.pow(64).negate(), b)))
                .isEqualTo("-18446744073709552000");
        assertThat(written(b -> EcmaNumbers.write(new BigDecimal("1.50"), b))).isEqualTo("1.5");
        assertThat(written(b -> EcmaNumbers.write(new BigDecimal("1E+2"), b))).isEqualTo("100");
        assertThat(written(b -> EcmaNumbers.write(new BigDecimal("0.1"), b))).isEqualTo("0.1");
        assertThat(written(b -> EcmaNumbers.write(new BigDecimal("1e-400"), b))).isEqualTo("0");
        assertThat(written(b -> EcmaNumbers.write(new BigDecimal("-9007199254740993"), b)))
                .isEqualTo("-9007199254740992");
    }

    @Test
    void floatsUseTheirShortestDecimal() {
        assertThat(EcmaNumbers.floatToDouble(0.1f)).isEqualTo(0.1);
        assertThat(EcmaNumbers.floatToDouble(-0.1f)).isEqualTo(-0.1);
        assertThat(EcmaNumbers.floatToDouble((float) Math.pow(2, 30))).isEqualTo(1073741800.0);
        assertThat(EcmaNumbers.floatToDouble(16777216f)).isEqualTo(16777216.0);
        assertThat(EcmaNumbers.floatToDouble(1.0e10f)).isEqualTo(1e10);
        assertThat(EcmaNumbers.floatToDouble(Float.MIN_VALUE)).isEqualTo(1e-45);
        assertThat(EcmaNumbers.floatToDouble(Float.MAX_VALUE)).isEqualTo(3.4028235e38);
        assertThat(EcmaNumbers.floatToDouble(Float.NaN)).isNaN();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 50_000; i++) {
            float f = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            double d = EcmaNumbers.floatToDouble(f);
            assertThat((float) d).as("bits %08x", Float.floatToRawIntBits(f)).isEqualTo(f);
            assertThat(significantDigits(EcmaNumbers.toString(d)))
                    .isLessThanOrEqualTo(significantDigits(Float.toString(Math.abs(f)).replace("E", "e")));
        }
    }

    /**
     * Round-trip, minimal length and closest choice over 200,000 deterministic doubles (random bit
     * patterns and random decimal strings), against an independent BigDecimal reference. Bounded
     * to 20 s so a heavily loaded machine cannot hit the class timeout; normally ~5 s.
     */
    @Test
    void shortestRoundTripProperty() {
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        long deadline = System.nanoTime() + 20_000_000_000L;
        int checked = 0;
        for (int i = 0; i < 200_000 && System.nanoTime() < deadline; i++) {
            double d = (i & 1) == 0 ? Double.longBitsToDouble(rnd.nextLong()) : randomDecimal(rnd);
            if (!Double.isFinite(d) || d == 0) {
                continue;
            }
            String s = EcmaNumbers.toString(d);
            assertThat(Double.parseDouble(s)).as("round trip of %s (%s)", s, d).isEqualTo(d);
            BigDecimal expected = reference(d);
            if (new BigDecimal(s).compareTo(expected) != 0) {
                assertThat(s).as("%s: digits differ from the reference", d).isEqualTo(expected.toString());
            }
            if (i % 8 < 2) { // the JDK-assisted path and the pure search agree
                long[] slow = EcmaNumbers.shortestDigits(d, false, 17);
                assertThat(EcmaNumbers.format(d < 0, slow[0], (int) slow[1])).isEqualTo(s);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    private static double randomDecimal(SplittableRandom rnd) {
        int digits = 1 + rnd.nextInt(17);
        long m = rnd.nextLong(1, (long) Math.pow(10, digits) + 1);
        return Double.parseDouble((rnd.nextBoolean() ? "-" : "") + m + "E" + (rnd.nextInt(640) - 330));
    }

    /** Shortest p with a round-tripping p-digit neighbour of the exact value; closest, ties even. */
    private static BigDecimal reference(double d) {
        BigDecimal x = new BigDecimal(d).abs();
        BigDecimal lo20 = x.round(new MathContext(20, RoundingMode.FLOOR));
        BigDecimal hi20 = lo20.compareTo(x) == 0 ? lo20 : lo20.add(lo20.ulp()); // = CEILING

        for (int p = 1; p <= 17; p++) {
            BigDecimal f = lo20.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal c = hi20.round(new MathContext(p, RoundingMode.CEILING));
            boolean fOk = f.doubleValue() == Math.abs(d);
            boolean cOk = c.doubleValue() == Math.abs(d);
            if (fOk || cOk) {
                BigDecimal pick;
                if (fOk && cOk) {
                    int cmp = x.subtract(f).compareTo(c.subtract(x));
                    boolean fEven = !f.unscaledValue().testBit(0);
                    pick = cmp < 0 ? f : cmp > 0 ? c : (fEven ? f : c);
                } else {
                    pick = fOk ? f : c;
                }
                return d < 0 ? pick.negate() : pick;
            }
        }
        throw new AssertionError("no 17-digit candidate for " + d);
    }

    private static int significantDigits(String s) {
        String m = s.contains("e") ? s.substring(0, s.indexOf('e')) : s;
        String digits = m.replace("-", "").replace(".", "").replaceAll("^0+", "").replaceAll("0+$", "");
        return digits.length();
    }
}
