package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes JSON string literals as UTF-8, byte-for-byte like ECMAScript {@code JSON.stringify}
 * (ECMA-262 QuoteJSONString):
 *
 * <ul>
 *   <li>{@code "} and {@code \} are escaped as {@code \"} and {@code \\};
 *   <li>{@code \b \f \n \r \t} use their short forms; every other U+0000..U+001F is written as
 *       <code>&#92;u00xx</code> with lowercase hex;
 *   <li>lone surrogates (a high surrogate not followed by a low one, or a low surrogate not
 *       preceded by a high one) are written as <code>&#92;udxxx</code>, lowercase;
 *   <li>surrogate pairs become one 4-byte UTF-8 sequence; everything else, including {@code /},
 *       U+007F, U+2028 and U+2029, is raw UTF-8.
 * </ul>
 *
 * <p>The output is therefore always valid UTF-8 and never contains a raw C0 control byte. Thread-safe;
 * no allocation per call (a {@link String} of {@value #BULK_MIN}+ chars is encoded in chunks through
 * a small per-thread scratch array and appended with one bulk copy per chunk). Only buffer errors
 * from Netty are thrown.
 */
public final class JsonStringWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For c < 128: 0 = write raw, 'u' = backslash-u-0-0-hex-hex, otherwise the character following the backslash. */
    private static final byte[] ESCAPE = new byte[128];
    /** Strings at least this long take the chunked path. */
    static final int BULK_MIN = 24;
    /** Chars per chunk of the chunked path; a char becomes at most 6 bytes. */
    static final int CHUNK = 256;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\b'] = 'b';
        ESCAPE['\f'] = 'f';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE['\t'] = 't';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    private JsonStringWriter() {}

    /** Appends {@code s} as a quoted JSON string literal in UTF-8. */
    public static void writeQuoted(CharSequence s, ByteBuf out) {
        if (s instanceof String str && str.length() >= BULK_MIN) {
            writeQuotedChunked(str, out);
            return;
        }
        int len = s.length();
        out.ensureWritable(len + 2);
        out.writeByte('"');
        int i = 0;
        while (i < len) {
            int run = plainRun(s, i, len);
            if (run > i) {
                // one bulk call per run of characters that need no escaping (Netty writes them as UTF-8)
                ByteBufUtil.writeUtf8(out, s, i, run);
                i = run;
                continue;
            }
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 'u') {
                    writeUnicodeEscape(c, out);
                } else {
                    out.writeShort(('\\' << 8) | e);
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.writeInt(((0xF0 | (cp >> 18)) << 24) | ((0x80 | ((cp >> 12) & 0x3F)) << 16)
                        | ((0x80 | ((cp >> 6) & 0x3F)) << 8) | (0x80 | (cp & 0x3F)));
            } else {
                writeUnicodeEscape(c, out); // lone surrogate
            }
            i++;
        }
        out.writeByte('"');
    }

    private static void writeQuotedChunked(String s, ByteBuf out) {
        Scratch scratch = SCRATCH.get();
        char[] chars = scratch.chars;
        byte[] bytes = scratch.bytes;
        int len = s.length();
        out.ensureWritable(len + 2);
        out.writeByte('"');
        for (int p = 0; p < len; ) {
            int n = Math.min(CHUNK, len - p);
            s.getChars(p, p + n, chars, 0);
            if (n < len - p && Character.isHighSurrogate(chars[n - 1])) {
                n--; // may pair with the next char: leave it to the next chunk
            }
            if (isPlainAscii(chars, n)) {
                copyLowBytes(s, p, p + n, bytes); // ASCII: each char is its own byte
                out.writeBytes(bytes, 0, n);
            } else {
                out.writeBytes(bytes, 0, encode(chars, n, bytes));
            }
            p += n;
        }
        out.writeByte('"');
    }

    /** Whether {@code cs[0..n)} are all written as themselves: U+0020..U+007F except {@code "} and {@code \}. */
    private static boolean isPlainAscii(char[] cs, int n) {
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c >= 0x80 || ESCAPE[c] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The low 8 bits of each char of {@code s[from..to)}: a plain copy for a Latin-1 string. */
    @SuppressWarnings("deprecation")
    private static void copyLowBytes(String s, int from, int to, byte[] dst) {
        s.getBytes(from, to, dst, 0);
    }

    /**
     * Encodes {@code cs[0..n)} into {@code b} (room for 6 bytes per char); a high surrogate at
     * {@code n - 1} is taken as lone. @return the byte count
     */
    private static int encode(char[] cs, int n, byte[] b) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c < 0x80) {
                byte e = ESCAPE[c];
                if (e == 0) {
                    b[w++] = (byte) c;
                } else if (e == 'u') {
                    w = unicodeEscape(c, b, w);
                } else {
                    b[w++] = '\\';
                    b[w++] = e;
                }
            } else if (c < 0x800) {
                b[w++] = (byte) (0xC0 | (c >> 6));
                b[w++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                b[w++] = (byte) (0xE0 | (c >> 12));
                b[w++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[w++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(cs[i + 1])) {
                int cp = Character.toCodePoint(c, cs[++i]);
                b[w++] = (byte) (0xF0 | (cp >> 18));
                b[w++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[w++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[w++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                w = unicodeEscape(c, b, w); // lone surrogate
            }
        }
        return w;
    }

    private static int unicodeEscape(char c, byte[] b, int w) {
        b[w] = '\\';
        b[w + 1] = 'u';
        b[w + 2] = HEX[(c >> 12) & 0xF];
        b[w + 3] = HEX[(c >> 8) & 0xF];
        b[w + 4] = HEX[(c >> 4) & 0xF];
        b[w + 5] = HEX[c & 0xF];
        return w + 6;
    }

    /** @return the end of the run from {@code i} of characters written as plain UTF-8 (no escape, no surrogate) */
    private static int plainRun(CharSequence s, int i, int len) {
        while (i < len) {
            char c = s.charAt(i);
            if (c < 0x80 ? ESCAPE[c] != 0 : Character.isSurrogate(c)) {
                return i;
            }
            i++;
        }
        return i;
    }

    private static void writeUnicodeEscape(char c, ByteBuf out) {
        out.ensureWritable(6);
        int w = out.writerIndex();
        out.setShort(w, ('\\' << 8) | 'u');
        out.setByte(w + 2, HEX[(c >> 12) & 0xF]);
        out.setByte(w + 3, HEX[(c >> 8) & 0xF]);
        out.setByte(w + 4, HEX[(c >> 4) & 0xF]);
        out.setByte(w + 5, HEX[c & 0xF]);
        out.writerIndex(w + 6);
    }

    /** Exact number of bytes {@link #writeQuoted} appends for {@code s}, including both quotes. */
    public static long quotedLength(CharSequence s) {
        int len = s.length();
        long n = 2;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte e = ESCAPE[c];
                n += e == 0 ? 1 : e == 'u' ? 6 : 2;
            } else if (c < 0x800) {
                n += 2;
            } else if (!Character.isSurrogate(c)) {
                n += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 6;
            }
        }
        return n;
    }

    /** Per-thread scratch of the chunked path. */
    private static final class Scratch {
        final char[] chars = new char[CHUNK];
        final byte[] bytes = new byte[CHUNK * 6];
    }
}
