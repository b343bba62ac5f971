package io.jipc.internal.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Option checks whose messages name the option, the value and what was expected. */
public final class Validation {
    private static final Set<String> ENCODINGS = Set.of(
        "utf8", "ascii", "latin1", "binary", "utf16le", "ucs2", "base64", "hex");

    private Validation() {
    }

    /** @throws IllegalArgumentException if {@code value} is null or empty */
    public static void notEmpty(String option, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(option + " must be a non-empty string but was "
                + (value == null ? "null" : "\"\""));
        }
    }

    /** @throws IllegalArgumentException if {@code value} is outside {@code [min, max]} */
    public static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + " but was " + value);
        }
    }

    /** @throws IllegalArgumentException if {@code value} is null or negative */
    public static void nonNegative(String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(option + " must be a duration of 0 or more but was " + value);
        }
    }

    /**
     * Normalises a Node.js encoding name ({@code utf-8}→{@code utf8}, {@code utf-16le}→{@code utf16le}).
     * @throws IllegalArgumentException for a name Node's Buffer does not know
     */
    public static String encoding(String value) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT).replace("-", "");
        if (!ENCODINGS.contains(v)) {
            throw new IllegalArgumentException("encoding must be one of " + new java.util.TreeSet<>(ENCODINGS)
                + " but was " + (value == null ? "null" : "\"" + value + "\""));
        }
        return v;
    }

    /**
     * A framed-mode delimiter must contain a control character (U+0000–U+001F): JSON.stringify escapes
     * those, so the delimiter can never occur inside a frame. Any other delimiter (e.g. {@code "|"})
     * could appear inside a string payload and corrupt framing, so it is refused unless raw mode.
     */
    public static void delimiter(String value, boolean raw) {
        notEmpty("delimiter", value);
        if (raw) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20) {
                return;
            }
        }
        throw new IllegalArgumentException("delimiter must contain a control character U+0000..U+001F "
            + "(one JSON always escapes, so it cannot occur inside a frame) but was \"" + value
            + "\"; a printable delimiter can appear inside string payloads and split frames");
    }
}
