package io.jipc.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Strings to bytes as Node's {@code Buffer.from(string, encoding)} does, for raw-mode string payloads:
 * utf8 (lone surrogates become U+FFFD), ascii/latin1/binary (low byte of each UTF-16 unit), utf16le/ucs2,
 * base64 (standard or URL-safe alphabet, any other character skipped, padding optional, stops at
 * {@code =}) and hex (ASCII digits only; stops at the first pair that is not hex). Stateless.
 */
public final class NodeEncodings {
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private NodeEncodings() {
    }

    /**
     * @param encoding a name already normalised by config validation
     * @return the bytes Node would produce
     */
    public static byte[] encode(String text, String encoding) {
        switch (encoding) {
            case "utf8":
                return utf8(text);
            case "ascii":
            case "latin1":
            case "binary":
                return lowBytes(text);
            case "utf16le":
            case "ucs2":
                return text.getBytes(StandardCharsets.UTF_16LE);
            case "base64":
                return base64(text);
            case "hex":
                return hex(text);
            default:
                throw new IllegalArgumentException("unknown encoding \"" + encoding + "\"");
        }
    }

    private static byte[] utf8(String text) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith(REPLACEMENT);
        try {
            ByteBuffer out = enc.encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] lowBytes(String text) {
        byte[] out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) text.charAt(i);
        }
        return out;
    }

    private static byte[] base64(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '-') {
                clean.append('+');
            } else if (c == '_') {
                clean.append('/');
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean.append(c);
            } else if (c == '=') {
                break; // padding ends the data
            }
            // any other character (whitespace, punctuation, non-ASCII) is skipped, as Node does
        }
        if (clean.length() % 4 == 1) {
            clean.setLength(clean.length() - 1); // a lone 6-bit group carries no whole byte
        }
        while (clean.length() % 4 != 0) {
            clean.append('=');
        }
        return Base64.getDecoder().decode(clean.toString());
    }

    private static byte[] hex(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 2);
        for (int i = 0; i + 1 < text.length(); i += 2) {
            int hi = hexDigit(text.charAt(i));
            int lo = hexDigit(text.charAt(i + 1));
            if (hi < 0 || lo < 0) {
                break;
            }
            out.write(hi << 4 | lo);
        }
        return out.toByteArray();
    }

    /** @return the value of an ASCII hex digit, or -1 (Node accepts no other digits) */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
