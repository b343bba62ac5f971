package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Formats numbers exactly as ECMAScript {@code Number::toString(10)} does, which is what
 * {@code JSON.stringify} emits for finite numbers: the shortest digit string that reads back as the
 * same double; among equally short candidates the one closest to the exact binary value (ties: even
 * last digit); plain notation for decimal exponents in [-6, 21), otherwise {@code d.ddde±x}.
 *
 * <p>Non-finite values (NaN, ±Infinity) are not JSON numbers: {@code JSON.stringify} writes
 * {@code null} for them, and so does every method here ({@link #toString(double)} returns the
 * string {@code "null"}). {@code -0} is written as {@code 0}.
 *
 * <p>Integral inputs ({@code long}, {@link BigInteger}, {@link BigDecimal}) follow what a
 * JavaScript peer sees after {@code JSON.parse}: exact when |v| &lt;= 2^53, otherwise the value
 * rounded to the nearest double and formatted by the double rule (so {@code 2^53+1} is written as
 * {@code 9007199254740992}).
 *
 * <p>Does not rely on {@link Double#toString(double)} producing shortest output (it does not on
 * JDK &lt; 19); its result is only used when it is provably the unique shortest, and otherwise as an
 * upper bound on the digit count for an exact {@link BigDecimal}-based search.
 *
 * <p>Stateless and thread-safe. Writers only append to the buffer and throw nothing except
 * buffer errors from Netty.
 */
public final class EcmaNumbers {
    private static final double TWO_53 = 9007199254740992.0;
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private EcmaNumbers() {}

    /** ECMAScript Number::toString(10) of {@code d}; {@code "null"} for NaN and infinities. */
    public static String toString(double d) {
        if (d != d || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0) {
            return "0";
        }
        if (Math.abs(d) < TWO_53 && d == Math.rint(d)) {
            return Long.toString((long) d);
        }
        long[] dn = jdkDigits(Math.abs(d));
        if (dn == null || dn[2] > 15 || Math.abs(d) < Double.MIN_NORMAL) {
            dn = shortestDigits(d, false, dn == null ? 17 : (int) dn[2]);
        }
        return format(d < 0, dn[0], (int) dn[1]);
    }

    /** Appends {@link #toString(double)} as ASCII to {@code out}. */
    public static void write(double d, ByteBuf out) {
        if (Math.abs(d) < TWO_53 && d == Math.rint(d)) {
            writeLong((long) d, out); // also maps -0.0 to "0"
        } else {
            String s = toString(d);
            for (int i = 0, n = s.length(); i < n; i++) {
                out.writeByte(s.charAt(i));
            }
        }
    }

    /** Appends a JSON integer as a JavaScript peer would re-print it (see class doc). */
    public static void write(long v, ByteBuf out) {
        if (v >= -(1L << 53) && v <= (1L << 53)) {
            writeLong(v, out);
        } else {
            write((double) v, out); // long-to-double conversion rounds to nearest, ties even
        }
    }

    /** Appends {@code v}: exact when |v| &lt;= 2^53, else via its nearest double. */
    public static void write(BigInteger v, ByteBuf out) {
        if (v.bitLength() < 64) {
            write(v.longValue(), out);
        } else {
            write(v.doubleValue(), out); // correctly rounded; Infinity (-> null) when huge
        }
    }

    /** Appends {@code v} via its nearest double (exact small integers stay exact). */
    public static void write(BigDecimal v, ByteBuf out) {
        write(v.doubleValue(), out); // correctly rounded on JDK 17
    }

    private static void writeLong(long v, ByteBuf out) {
        if (v < 0) {
            out.writeByte('-');
            v = -v; // |v| <= 2^53 here, no overflow
        }
        int n = 1;
        while (n < 19 && v >= POW10[n]) {
            n++;
        }
        out.ensureWritable(n);
        int w = out.writerIndex() + n;
        out.writerIndex(w);
        do {
            out.setByte(--w, (int) ('0' + v % 10));
            v /= 10;
        } while (v != 0);
    }

    /**
     * Digits of the JDK's {@code Double.toString(x)} for positive {@code x} as {digits, n, k}
     * (value = digits * 10^(n - k), k = digit count, no trailing zeros), or null if unusable. The
     * JDK 17 output round-trips but is not always shortest. Still, when it has at most 15 digits
     * and x is normal, it is the only decimal of at most 15 digits mapping to x (DBL_DIG = 15:
     * such decimals map to distinct normal doubles), hence the unique shortest; otherwise k is an
     * upper bound for the shortest length.
     */
    private static long[] jdkDigits(double x) {
        String s = Double.toString(x);
        long digits = 0;
        int count = 0; // significant digits taken
        int pointPos = -1; // digits (incl. leading zeros) before '.'
        int seen = 0;
        int exp = 0;
        int lz = 0; // leading zeros after the point before the first significant digit
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                pointPos = seen;
            } else if (c == 'E') {
                exp = Integer.parseInt(s, i + 1, s.length(), 10);
                break;
            } else {
                seen++;
                if (count == 0 && c == '0') {
                    lz++;
                    continue;
                }
                if (++count > 17) {
                    return null;
                }
                digits = digits * 10 + (c - '0');
            }
        }
        int k = count;
        while (k > 0 && digits % 10 == 0) {
            digits /= 10;
            k--;
        }
        int n = (pointPos < 0 ? seen : pointPos) - lz + exp;
        if (k == 0 || Double.parseDouble(digits + "E" + (n - k)) != x) {
            return null; // defensive: never expected
        }
        return new long[] {digits, n, k};
    }

    /**
     * The double a JavaScript peer sees for a Java {@code float}: the value of the shortest decimal
     * that reads back as {@code f} (as printed by JDK 19+ {@code Float.toString}; JDK 17's is not
     * always shortest), parsed as a double. Non-finite values are returned unchanged.
     */
    public static double floatToDouble(float f) {
        if (f != f || Float.isInfinite(f) || f == 0 || (Math.abs(f) < 0x1p24f && f == Math.rint(f))) {
            return f;
        }
        long[] dn = shortestDigits(f, true, 9);
        double v = Double.parseDouble(dn[0] + "E" + (dn[1] - Long.toString(dn[0]).length()));
        return f < 0 ? -v : v;
    }

    /**
     * Exact search: in units of 10^(e-16) (x scaled to 17 integer digits), the decimals that read
     * back as {@code d} (as a float when {@code asFloat}) are the integers in [min, max], derived
     * from the exact midpoints to the neighbouring values (a midpoint belongs to d when d's
     * significand is even). Finds the shortest precision with a p-digit integer in that range and
     * picks the closest (ties: even). {@code maxP} (&lt;= 17) must be a precision known to work.
     * Returns {digits, n} as in {@link #jdkDigits}.
     */
    static long[] shortestDigits(double d, boolean asFloat, int maxP) {
        double v = Math.abs(d);
        BigDecimal x = new BigDecimal(v);
        int e = x.precision() - x.scale() - 1; // 10^e <= x < 10^(e+1)
        int shift = 16 - e;
        BigDecimal sx = x.movePointRight(shift); // in [10^16, 10^17)
        long lo = sx.setScale(0, RoundingMode.FLOOR).longValueExact();
        long hi = sx.compareTo(BigDecimal.valueOf(lo)) == 0 ? lo : lo + 1;
        boolean even = asFloat
                ? (Float.floatToRawIntBits((float) v) & 1) == 0
                : (Double.doubleToRawLongBits(v) & 1) == 0; // significand parity
        double below = asFloat ? v - Math.nextDown((float) v) : v - Math.nextDown(v); // exact
        double above = asFloat ? Math.ulp((float) v) : Math.ulp(v);
        BigDecimal lowMid = x.subtract(new BigDecimal(below).multiply(HALF)).movePointRight(shift);
        BigDecimal highMid = x.add(new BigDecimal(above).multiply(HALF)).movePointRight(shift);
        long min = lowMid.setScale(0, RoundingMode.FLOOR).longValueExact();
        if (!(even && lowMid.compareTo(BigDecimal.valueOf(min)) == 0)) {
            min++; // midpoint excluded (or not an integer): first integer strictly above it
        }
        long max = highMid.setScale(0, RoundingMode.FLOOR).longValueExact();
        if (!even && highMid.compareTo(BigDecimal.valueOf(max)) == 0) {
            max--;
        }
        int bestP = maxP;
        // Round-tripping is monotone in p: binary search, probing maxP - 1 first (often decisive).
        for (int a = 1, b = maxP - 1, p = b; a <= b; p = (a + b) >>> 1) {
            long div = POW10[17 - p];
            if (inRange(lo / div * div, min, max) || inRange(ceilDiv(hi, div) * div, min, max)) {
                bestP = p;
                b = p - 1;
            } else {
                a = p + 1;
            }
        }
        long div = POW10[17 - bestP];
        long f = lo / div;
        long c = ceilDiv(hi, div);
        boolean fOk = inRange(f * div, min, max);
        boolean cOk = c != f && inRange(c * div, min, max);
        long pick;
        if (fOk && cOk) {
            int cmp = sx.subtract(BigDecimal.valueOf(f * div))
                    .compareTo(BigDecimal.valueOf(c * div).subtract(sx));
            pick = cmp < 0 ? f : cmp > 0 ? c : ((f & 1) == 0 ? f : c);
        } else {
            pick = fOk ? f : c;
        }
        int n = e + 1;
        if (pick == POW10[bestP]) { // ceiling carried into the next decade
            pick = 1;
            n++;
        }
        while (pick % 10 == 0) {
            pick /= 10;
        }
        return new long[] {pick, n};
    }

    private static boolean inRange(long v, long min, long max) {
        return v >= min && v <= max;
    }

    private static long ceilDiv(long a, long b) {
        long q = a / b;
        return q * b == a ? q : q + 1;
    }

    /** ECMA-262 Number::toString formatting of digits (k of them) with decimal exponent n. */
    static String format(boolean negative, long digits, int n) {
        String s = Long.toString(digits);
        int k = s.length();
        StringBuilder sb = new StringBuilder(k + 8);
        if (negative) {
            sb.append('-');
        }
        if (k <= n && n <= 21) {
            sb.append(s);
            sb.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(s);
        } else {
            sb.append(s.charAt(0));
            if (k > 1) {
                sb.append('.').append(s, 1, k);
            }
            sb.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
        return sb.toString();
    }
}
