package io.jipc.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;

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
 * no allocation per call. Three paths, by speed:
 * <ul>
 *   <li>a {@link String} shorter than {@value #DIRECT_MAX} chars written into an array-backed buffer goes
 *       straight into the array, quotes included, as long as its chars are written as themselves
 *       (printable ASCII but {@code "} and {@code \}): one pass, no per-byte buffer calls;
 *   <li>a {@link String} of {@value #BULK_MIN}+ chars (or what is left of it) is encoded in chunks of up to
 *       {@value #CHUNK} chars through per-thread scratch arrays: each chunk is narrowed to bytes by the JDK's
 *       Latin-1 encoder (a vectorized loop that stops at the first char above U+00FF), the bytes are checked
 *       eight at a time ({@link PlainBytes}) and, if all printable ASCII, appended with one bulk copy;
 *       otherwise the plain runs of the Latin-1 prefix are copied in bulk, the chars between them encoded
 *       one by one, and the rest of the chunk from the first char above U+00FF on char by char;
 *   <li>anything else char by char, runs of plain chars in one Netty UTF-8 call each.
 * </ul>
 * Only buffer errors from Netty are thrown.
 */
public final class JsonStringWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** For c < 128: 0 = write raw, 'u' = backslash-u-0-0-hex-hex, otherwise the character following the backslash. */
    private static final byte[] ESCAPE = new byte[128];
    /** Strings (or the rest of one, after a plain prefix) at least this long take the chunked path. */
    static final int BULK_MIN = 24;
    /** Strings shorter than this go straight into an array-backed buffer while their chars are plain. */
    static final int DIRECT_MAX = 256;
    /** Chars per chunk of the chunked path; a char becomes at most 6 bytes. */
    static final int CHUNK = 2048;
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
        write(s, false, false, out);
    }

    /** Appends an object member's name: a comma unless {@code first}, the quoted name, and a colon. */
    static void writeName(CharSequence name, boolean first, ByteBuf out) {
        write(name, !first, true, out);
    }

    private static void write(CharSequence s, boolean comma, boolean colon, ByteBuf out) {
        int len = s.length();
        out.ensureWritable(len + 4);
        if (s instanceof String str && len < DIRECT_MAX && out.hasArray()) {
            // one pass straight into the array while the chars are written as themselves
            byte[] a = out.array();
            int base = out.arrayOffset();
            int at = base + out.writerIndex();
            if (comma) {
                a[at++] = ',';
            }
            a[at++] = '"';
            int plain = copyPlainPrefix(str, a, at);
            at += plain;
            if (plain == len) {
                a[at++] = '"';
                if (colon) {
                    a[at++] = ':';
                }
                out.writerIndex(at - base);
                return;
            }
            out.writerIndex(at - base);
            writeRest(str, plain, out);
        } else {
            if (comma) {
                out.writeByte(',');
            }
            out.writeByte('"');
            writeRest(s, 0, out);
        }
        if (colon) {
            out.writeByte(':');
        }
    }

    /**
     * Copies the longest prefix of {@code s} whose chars are written as themselves (printable ASCII but
     * {@code "} and {@code \}), one byte each, to {@code a} from {@code at} (which has room for all of {@code s}).
     * @return the length of that prefix, {@code s.length()} when it is all of {@code s}
     */
    private static int copyPlainPrefix(String s, byte[] a, int at) {
        int len = s.length();
        int i = 0;
        while (i < len) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            a[at + i++] = (byte) c;
        }
        return i;
    }

    /** Writes {@code s} from {@code from} and the closing quote: in chunks when long, else char by char. */
    private static void writeRest(CharSequence s, int from, ByteBuf out) {
        if (s instanceof String str && s.length() - from >= BULK_MIN) {
            writeChunked(str, from, out);
        } else {
            writePerChar(s, from, out);
        }
    }

    /** Writes {@code s} from {@code i} char by char (bulk runs of plain chars), then the closing quote. */
    private static void writePerChar(CharSequence s, int i, ByteBuf out) {
        int len = s.length();
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

    /** Writes {@code s} from {@code from} in chunks through the thread's scratch arrays, then the closing quote. */
    private static void writeChunked(String s, int from, ByteBuf out) {
        Scratch scratch = SCRATCH.get();
        char[] chars = scratch.chars;
        byte[] bytes = scratch.bytes;
        int len = s.length();
        for (int p = from; p < len; ) {
            int n = Math.min(CHUNK, len - p);
            s.getChars(p, p + n, chars, 0);
            if (n < len - p && Character.isHighSurrogate(chars[n - 1])) {
                n--; // may pair with the next char: leave it to the next chunk
            }
            int latin1 = scratch.toLatin1(n);
            int plain = PlainBytes.skip(bytes, 0, latin1);
            if (plain == n) {
                out.writeBytes(bytes, 0, n); // printable ASCII: each char is its own byte
            } else {
                out.writeBytes(scratch.encoded, 0, encodeMixed(chars, n, bytes, latin1, plain, scratch.encoded));
            }
            p += n;
        }
        out.writeByte('"');
    }

    /**
     * Encodes a chunk that is not all plain into {@code b} (room for 6 bytes per char): {@code bytes[0, latin1)}
     * holds {@code cs[0, latin1)} narrowed to bytes and its first {@code plain} are plain; plain runs within
     * that Latin-1 prefix are copied in bulk, every other char is encoded by itself, and from the first char
     * above U+00FF on (index {@code latin1}) the rest char by char. A high surrogate at {@code n - 1} is taken
     * as lone. @return the byte count
     */
    private static int encodeMixed(char[] cs, int n, byte[] bytes, int latin1, int plain, byte[] b) {
        System.arraycopy(bytes, 0, b, 0, plain);
        int w = plain;
        int i = plain;
        while (i < latin1) {
            w = encodeChar(cs[i++], b, w); // not plain: an escape, or U+0080..U+00FF as two bytes
            int run = PlainBytes.skip(bytes, i, latin1);
            System.arraycopy(bytes, i, b, w, run - i);
            w += run - i;
            i = run;
        }
        return encode(cs, latin1, n, b, w);
    }

    /** Encodes the char {@code c} (below U+0800, so never a surrogate) into {@code b} at {@code w}. @return the new end */
    private static int encodeChar(char c, byte[] b, int w) {
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
        } else {
            b[w++] = (byte) (0xC0 | (c >> 6));
            b[w++] = (byte) (0x80 | (c & 0x3F));
        }
        return w;
    }

    /**
     * Encodes {@code cs[from..n)} into {@code b} from {@code w} (room for 6 bytes per char); a high surrogate at
     * {@code n - 1} is taken as lone. @return the new end
     */
    private static int encode(char[] cs, int from, int n, byte[] b, int w) {
        for (int i = from; i < n; i++) {
            char c = cs[i];
            if (c < 0x800) {
                w = encodeChar(c, b, w);
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

    /** Per-thread scratch of the chunked path ({@value #CHUNK} chars: 9 bytes per char in all). */
    private static final class Scratch {
        final char[] chars = new char[CHUNK];
        /** {@code chars} narrowed to bytes, as far as they are at most U+00FF. */
        final byte[] bytes = new byte[CHUNK];
        /** A chunk that is not all plain, encoded. */
        final byte[] encoded = new byte[CHUNK * 6];
        /** Narrows chars to bytes with the JDK's vectorized Latin-1 loop; stops at the first char above U+00FF. */
        private final CharsetEncoder latin1 = StandardCharsets.ISO_8859_1.newEncoder();
        private final CharBuffer charView = CharBuffer.wrap(chars);
        private final ByteBuffer byteView = ByteBuffer.wrap(bytes);

        /**
         * Narrows {@code chars[0..n)} into {@code bytes} up to the first char above U+00FF (or surrogate).
         * @return how many were narrowed: {@code bytes[0..k)} holds {@code chars[0..k)}, {@code k <= n}
         */
        int toLatin1(int n) {
            charView.limit(n).position(0);
            byteView.clear();
            latin1.encode(charView, byteView, false); // not the end of input: no state to reset between calls
            int k = charView.position();
            if (k < n) {
                latin1.reset(); // stopped at a char above U+00FF (or a surrogate)
            }
            return k;
        }
    }
}
