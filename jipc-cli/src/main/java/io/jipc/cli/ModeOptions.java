package io.jipc.cli;

import io.jipc.IpcConfig;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The message-mode flags {@code serve} and {@code connect} share (a picocli mixin): {@code --raw},
 * {@code --delimiter}, {@code --lifecycle}, {@code --io-threads}, {@code --busy-poll-micros}. Invalid values and
 * combinations fail with an {@link IllegalArgumentException} whose message names the flag (the commands exit 2
 * with it).
 */
final class ModeOptions {
    @Option(names = "--raw",
        description = "Raw mode (node-ipc's rawBuffer): no framing, no JSON; each data event prints as one "
            + "{\"event\":\"data\",...,\"hex\":\"...\"} line, the bytes as lower-case hex.")
    boolean raw;

    @Option(names = "--delimiter", paramLabel = "STR",
        description = "Frame delimiter (default \\f). Escapes: \\f \\n \\r \\t \\b \\v \\0 \\e \\\\ \\xHH \\uXXXX, "
            + "e.g. '\\r\\n'. It must contain a control character (U+0000-U+001F), which JSON always escapes.")
    String delimiter;

    @Option(names = "--lifecycle",
        description = "Also print each lifecycle event as a JSON line, in the order the library fires them: "
            + "{\"event\":\"connect\"}, {\"event\":\"error\",\"code\":\"ERR_IPC_...\",\"message\":\"...\"}, ... "
            + "(errors then go there instead of stderr).")
    boolean lifecycle;

    @Option(names = "--io-threads", paramLabel = "N",
        description = "Event-loop threads (IpcConfig ioThreads, 1-256; default 1, like node-ipc's one loop). "
            + "More help a server with many busy connections on many cores.")
    Integer ioThreads;

    @Option(names = "--busy-poll-micros", paramLabel = "US",
        description = "How long an idle event loop polls before it sleeps (IpcConfig busyPollMicros, 0-10000; "
            + "default 0). Shortens request/response and connect/close exchanges at the price of CPU time.")
    Integer busyPollMicros;

    /**
     * Sets rawBuffer, the delimiter, the event-loop threads and their busy polling on {@code b}.
     * @throws IllegalArgumentException for a bad {@code --delimiter}, naming it
     */
    IpcConfig.Builder configure(IpcConfig.Builder b) {
        if (delimiter != null) {
            if (raw) {
                throw new IllegalArgumentException("--delimiter separates framed messages: it cannot be combined with --raw");
            }
            b.delimiter(delimiter("--delimiter", delimiter));
        }
        if (ioThreads != null) {
            b.ioThreads(ioThreads);
        }
        if (busyPollMicros != null) {
            b.busyPollMicros(busyPollMicros);
        }
        return b.rawBuffer(raw);
    }

    /**
     * {@code text} with its escapes resolved, checked as a framed-mode delimiter: not empty, with a
     * control character.
     * @throws IllegalArgumentException naming {@code flag}
     */
    static String delimiter(String flag, String text) {
        String d = unescape(flag, text);
        if (d.isEmpty()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        if (d.chars().noneMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException(flag + " must contain a control character U+0000-U+001F (written as "
                + "an escape such as \\f, \\r\\n or \\u0001; JSON always escapes those, so they never occur inside a "
                + "frame) but was '" + text + "'");
        }
        return d;
    }

    /**
     * Resolves the escapes {@code \f \n \r \t \b \v \0 \e \\ \xHH \}{@code uXXXX}; any other character
     * stands for itself.
     * @throws IllegalArgumentException naming {@code flag} for an unknown or incomplete escape
     */
    static String unescape(String flag, String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i + 1 == text.length()) {
                throw new IllegalArgumentException(flag + ": '" + text + "' ends with a lone backslash (write \\\\ for one)");
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'v' -> sb.append('\u000b');
                case '0' -> sb.append('\0');
                case 'e' -> sb.append('\u001b');
                case '\\' -> sb.append('\\');
                case 'x', 'u' -> {
                    int digits = e == 'x' ? 2 : 4;
                    String hex = text.substring(i + 1, Math.min(text.length(), i + 1 + digits));
                    if (hex.length() != digits || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw new IllegalArgumentException(flag + ": \\" + e + " needs " + digits + " hex digits in '"
                            + text + "'");
                    }
                    sb.append((char) Integer.parseInt(hex, 16));
                    i += digits;
                }
                default -> throw new IllegalArgumentException(flag + ": unknown escape \\" + e + " in '" + text
                    + "' (known: \\f \\n \\r \\t \\b \\v \\0 \\e \\\\ \\xHH \\uXXXX)");
            }
        }
        return sb.toString();
    }

    /** Library option names, as {@link IpcConfig.Builder#build()} messages start with them, and their flags. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
        Map.entry("encoding", "--encoding"), Map.entry("delimiter", "--delimiter"),
        Map.entry("maxConnections", "--max-connections"), Map.entry("retry", "--retry"),
        Map.entry("maxRetries", "--max-retries"), Map.entry("maxMessageSize", "--max-message-size"),
        Map.entry("parser ASSURED", "--profile assured"), Map.entry("allowedEvents", "--allowed-events"),
        Map.entry("ioThreads", "--io-threads"), Map.entry("busyPollMicros", "--busy-poll-micros"));

    /** A configuration message with its leading option name replaced by the flag that sets it. */
    static String flagNames(String message) {
        for (Map.Entry<String, String> e : FLAGS.entrySet()) {
            if (message.startsWith(e.getKey() + " ")) {
                return e.getValue() + message.substring(e.getKey().length());
            }
        }
        return message;
    }
}
