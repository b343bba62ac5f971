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
 * <p>The output is therefore always valid UTF-8 and never contains a raw C0 control byte. Stateless
 * and thread-safe; no per-character allocation. Only buffer errors from Netty are thrown.
 */
public final class JsonStringWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For c < 128: 0 = write raw, 'u' = backslash-u-0-0-hex-hex, otherwise the character following the backslash. */
    private static final byte[] ESCAPE = new byte[128];

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
}
