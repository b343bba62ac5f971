package io.jipc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * --lifecycle lines, raw mode, --delimiter, --sync, reconnect limits and the server's parser flags,
 * in-process; every wait is on an output line.
 */
class LifecycleModesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ERROR_NO_FILE = "{\"event\":\"error\",\"message\":\"no such socket file\"}";
    private static final String DISCONNECT = "{\"event\":\"disconnect\"}";

    @TempDir
    Path dir;

    private String sock(String name) {
        return dir.resolve(name).toString();
    }

    private static Cli.Running serve(String... args) throws InterruptedException {
        Cli.Running serve = Cli.start(args);
        serve.err.await(l -> l.startsWith("listening on "), WAIT);
        return serve;
    }

    /** A plain Unix-socket connection, speaking bytes: what a misbehaving peer would send. */
    private static SocketChannel rawSocket(String path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(path));
        return ch;
    }

    private static void write(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads until {@code text} has arrived (or the peer closes). */
    private static String readUntil(SocketChannel ch, String text) throws IOException {
        StringBuilder got = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (!got.toString().endsWith(text) && ch.read(b) >= 0) {
            b.flip();
            got.append(StandardCharsets.UTF_8.decode(b));
            b.clear();
        }
        return got.toString();
    }

    @Test
    @Timeout(60)
    void clientWhoseServerIsAbsentPrintsEachAttemptThenDestroyAndExits1() {
        String missing = sock("absent.sock");

        Cli.Result r = Cli.run("connect", "x", "--path", missing, "--retry", "50", "--max-retries", "2",
            "--lifecycle", "--timeout", "30", "--emit", "m", "1");

        // What the library fires: each failed attempt is error then disconnect; after the last, destroy.
        assertThat(r.out()).containsExactly(ERROR_NO_FILE, DISCONNECT, ERROR_NO_FILE, DISCONNECT, ERROR_NO_FILE,
            DISCONNECT, "{\"event\":\"destroy\"}");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).containsExactly("jipc connect: could not connect to " + missing
            + " in 3 attempts (--max-retries 2): no such socket file");
    }

    @Test
    @Timeout(60)
    void stopRetryingMakesOneAttempt() {
        String missing = sock("absent.sock");

        Cli.Result r = Cli.run("connect", "x", "--path", missing, "--stop-retrying", "--lifecycle", "--timeout", "30");

        assertThat(r.out()).containsExactly(ERROR_NO_FILE, DISCONNECT, "{\"event\":\"destroy\"}");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).singleElement().asString().contains("in its one attempt (--stop-retrying)");
    }

    @Test
    @Timeout(60)
    void lifecycleOfAnExchangeOnBothSides() throws Exception {
        String path = sock("life.sock");
        Cli.Running serve = serve("serve", "--echo", "--lifecycle", "--path", path);
        try {
            Cli.Result r = Cli.run("connect", "x", "--path", path, "--lifecycle", "--emit", "m", "1", "--count", "1");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"event\":\"connect\"}", "{\"type\":\"m\",\"data\":1}",
                DISCONNECT, "{\"event\":\"destroy\"}");
            serve.out.await(l -> l.startsWith("{\"event\":\"socket.disconnected\""), WAIT);
            assertThat(serve.out.lines()).containsExactly("{\"event\":\"start\"}",
                "{\"event\":\"connect\",\"socket\":1}", "{\"type\":\"m\",\"data\":1}",
                "{\"event\":\"socket.disconnected\",\"socket\":1,\"id\":null}");
        } finally {
            assertThat(serve.stop()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void guardedServerReportsAnOversizedFrameWithItsCode() throws Exception {
        String path = sock("guarded.sock");
        Cli.Running serve = serve("serve", "--profile", "guarded", "--max-message-size", "64", "--lifecycle",
            "--path", path);
        try (SocketChannel client = rawSocket(path)) {
            String frame = "{\"type\":\"m\",\"data\":\"" + "x".repeat(100 - 22) + "\"}";
            assertThat(frame).hasSize(100);

            write(client, frame + "\f");

            String error = serve.out.await(l -> l.contains("\"code\":\"ERR_IPC_FRAME_TOO_LARGE\""), WAIT);
            assertThat(error).startsWith("{\"event\":\"error\",\"socket\":1,\"code\":\"ERR_IPC_FRAME_TOO_LARGE\","
                + "\"message\":\"");
            // guarded closes the connection after a refused frame
            serve.out.await(l -> l.equals("{\"event\":\"socket.disconnected\",\"socket\":1,\"id\":null}"), WAIT);
            assertThat(serve.out.lines()).startsWith("{\"event\":\"start\"}", "{\"event\":\"connect\",\"socket\":1}",
                error);
            assertThat(serve.err.lines()).noneMatch(l -> l.startsWith("error"));
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void rawModeRoundTripPrintsHex() throws Exception {
        String path = sock("raw.sock");
        Cli.Running serve = serve("serve", "--raw", "--echo", "--path", path);
        try {
            Cli.Result r = Cli.run("connect", "x", "--path", path, "--raw", "--emit-hex", "ff000c41", "--count", "1");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"event\":\"data\",\"hex\":\"ff000c41\"}");
            serve.out.await(l -> l.equals("{\"event\":\"data\",\"socket\":1,\"hex\":\"ff000c41\"}"), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void rawEmitsGoInCommandLineOrderWithTextInTheEncoding() throws Exception {
        String path = sock("order.sock");
        Cli.Running serve = serve("serve", "--raw", "--path", path);
        try {
            Cli.Result r = Cli.run("connect", "x", "--path", path, "--raw", "--encoding", "latin1",
                "--emit-hex", "01", "--emit-text", "h\u00e9", "--emit-hex=02");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            // A stream may split or join chunks: the data lines together hold the bytes, in order.
            StringBuilder hex = new StringBuilder();
            serve.out.await(l -> {
                hex.append(l.replaceFirst("^\\{\"event\":\"data\",\"socket\":\\d+,\"hex\":\"([0-9a-f]*)\"}$", "$1"));
                return hex.length() >= 8;
            }, WAIT);
            assertThat(hex).hasToString("0168e902");
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void delimiterRoundTripAndOnTheWire() throws Exception {
        String path = sock("crlf.sock");
        Cli.Running serve = serve("serve", "--echo", "--delimiter", "\\r\\n", "--path", path);
        try {
            Cli.Result r = Cli.run("connect", "x", "--path", path, "--delimiter", "\\r\\n", "--emit", "m", "{\"a\":1}",
                "--count", "1");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"type\":\"m\",\"data\":{\"a\":1}}");

            try (SocketChannel client = rawSocket(path)) {
                write(client, "{\"type\":\"w\",\"data\":2}\r\n");
                assertThat(readUntil(client, "\r\n")).isEqualTo("{\"type\":\"w\",\"data\":2}\r\n");
            }
            serve.out.await(l -> l.equals("{\"type\":\"w\",\"data\":2}"), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void syncRoundTripKeepsOrder() throws Exception {
        String path = sock("sync.sock");
        Cli.Running serve = serve("serve", "--echo", "--path", path);
        try {
            Cli.Result r = Cli.run("connect", "x", "--path", path, "--sync", "--count", "3",
                "--emit", "a", "1", "--emit", "b", "2", "--emit", "c", "3");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"type\":\"a\",\"data\":1}", "{\"type\":\"b\",\"data\":2}",
                "{\"type\":\"c\",\"data\":3}");
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void syncWaitsForTheServerBeforeTheNextEmit() throws Exception {
        String path = sock("stall.sock");
        Cli.Running serve = serve("serve", "--path", path); // no --echo: the server never answers
        try {
            Cli.Result r = Cli.run("connect", "x", "--path", path, "--sync", "--timeout", "1",
                "--emit", "a", "1", "--emit", "b", "2");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).singleElement().asString().contains("timed out after 1 s sending to " + path);
            // b was never written: a later client's event arrives, b does not
            assertThat(Cli.run("connect", "y", "--path", path, "--emit", "marker", "0").exitCode()).isZero();
            serve.out.await(l -> l.equals("{\"type\":\"marker\",\"data\":0}"), WAIT);
            assertThat(serve.out.lines()).containsExactly("{\"type\":\"a\",\"data\":1}", "{\"type\":\"marker\",\"data\":0}");
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void droppedConnectionWithRetriesExhaustedExits1BeforeTheCount() throws Exception {
        String path = sock("drop.sock");
        Cli.Running serve = serve("serve", "--echo", "--path", path);
        try {
            Cli.Running connect = Cli.start("connect", "x", "--path", path, "--retry", "50", "--max-retries", "1",
                "--lifecycle", "--timeout", "30", "--emit", "m", "1", "--count", "2");
            connect.out.await(l -> l.equals("{\"type\":\"m\",\"data\":1}"), WAIT);

            serve.stop(); // the server goes away: the client retries once, then gives up

            assertThat(connect.exit.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(connect.out.lines()).hasSize(6).startsWith("{\"event\":\"connect\"}",
                "{\"type\":\"m\",\"data\":1}", DISCONNECT).endsWith(DISCONNECT, "{\"event\":\"destroy\"}");
            assertThat(connect.out.lines().get(3)).startsWith("{\"event\":\"error\",\"message\":");
            assertThat(connect.err.lines()).singleElement().asString()
                .startsWith("jipc connect: connection to " + path + " closed after 1 of 2 events");
        } finally {
            serve.stop();
        }
    }

    static Stream<Arguments> badValues() {
        String u = "\\" + "u";
        return Stream.of(
            Arguments.of("connect x --retry -1", "--retry must be 0 or more (milliseconds) but was -1"),
            Arguments.of("connect x --max-retries -1", "--max-retries must be 0 or more but was -1"),
            Arguments.of("connect x --stop-retrying --max-retries 2", "--stop-retrying makes one attempt only: it cannot be combined with --max-retries"),
            Arguments.of("connect --udp4 9 --sync", "--sync is for stream connections (Unix socket, TCP, TLS): it cannot be combined with --udp4"),
            Arguments.of("connect --udp6 9 --retry 5", "--retry is for stream connections"),
            Arguments.of("connect x --emit-hex ff", "--emit-hex sends raw bytes: it requires --raw"),
            Arguments.of("connect x --raw --emit-hex fff", "--emit-hex expects bytes as pairs of hex digits, e.g. ff000c41, but got 'fff'"),
            Arguments.of("connect x --raw --emit-hex zz", "--emit-hex expects bytes as pairs of hex digits"),
            Arguments.of("connect x --raw --emit m 1", "--emit sends framed JSON events: with --raw, send bytes with --emit-hex"),
            Arguments.of("connect x --encoding latin1", "--encoding is for raw mode (framed messages are always UTF-8): it requires --raw"),
            Arguments.of("connect x --raw --encoding klingon --emit-text a", "--encoding must be one of [ascii, base64"),
            Arguments.of("connect x --delimiter |", "--delimiter must contain a control character U+0000-U+001F"),
            Arguments.of("connect x --delimiter \\q", "--delimiter: unknown escape \\q"),
            Arguments.of("connect x --delimiter " + u + "12", "--delimiter: " + u + " needs 4 hex digits"),
            Arguments.of("connect x --delimiter \\", "--delimiter: '\\' ends with a lone backslash"),
            Arguments.of("connect x --raw --delimiter \\f", "--delimiter separates framed messages: it cannot be combined with --raw"),
            Arguments.of("serve --profile strict", "--profile must be raw, fast, guarded or assured but was 'strict'"),
            Arguments.of("serve --profile assured", "--profile assured needs --allowed-events TYPE,..."),
            Arguments.of("serve --profile assured --allowed-events m --tcp 127.0.0.1:0", "--profile assured on the network needs mutual TLS"),
            Arguments.of("serve --profile assured --allowed-events m --udp4 0", "--profile assured does not allow UDP"),
            Arguments.of("serve --raw --profile guarded", "--raw cannot be combined with --profile guarded"),
            Arguments.of("serve --raw --max-message-size 64", "--max-message-size is about framed messages: it cannot be combined with --raw"),
            Arguments.of("serve --profile raw --allowed-events m", "--allowed-events is about framed messages: it cannot be combined with --profile raw"),
            Arguments.of("serve --max-message-size 1", "--max-message-size must be 2 or more (bytes) but was 1"),
            Arguments.of("serve --max-connections 0", "--max-connections must be 1 or more but was 0"),
            Arguments.of("serve --io-threads 0", "--io-threads must be in 1..256 but was 0"),
            Arguments.of("connect x --io-threads 300", "--io-threads must be in 1..256 but was 300"),
            Arguments.of("serve --busy-poll-micros -1", "--busy-poll-micros must be in 0..10000 but was -1"),
            Arguments.of("serve --udp4 0 --max-connections 3", "--max-connections limits stream connections: it cannot be combined with --udp4"),
            Arguments.of("serve --allowed-events a,,b", "--allowed-events expects event types separated by commas"),
            Arguments.of("serve --tcp 127.0.0.1:0 --no-unlink", "--no-unlink is for Unix sockets: it cannot be combined with --tcp"),
            Arguments.of("serve --tcp 127.0.0.1:0 --no-secure-socket-root", "--no-secure-socket-root is for Unix sockets"),
            Arguments.of("serve --udp6 0 --writable-all", "--writable-all is for Unix sockets: it cannot be combined with --udp6"),
            Arguments.of("serve --retry 50", "jipc serve: --retry is an option of jipc connect, not of jipc serve"),
            Arguments.of("serve --sync", "jipc serve: --sync is an option of jipc connect"),
            Arguments.of("connect x --max-connections 3", "jipc connect: --max-connections is an option of jipc serve"),
            Arguments.of("connect x --no-secure-socket-root", "jipc connect: --no-secure-socket-root is an option of jipc serve"),
            Arguments.of("connect x --profile=guarded", "jipc connect: --profile is an option of jipc serve"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    @Timeout(60)
    void badValuesExit2NamingTheFlag(String args, String message) {
        Cli.Result r = Cli.run(args.split(" "));

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.err()).singleElement().asString().startsWith("jipc ").contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    @Timeout(60)
    void valuesThatAreNotNumbersExit2NamingTheFlag() {
        Cli.Result r = Cli.run("connect", "x", "--max-retries", "many");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().get(0)).contains("--max-retries").contains("'many'");
    }

    @Test
    @Timeout(60)
    void helpTextsListTheNewFlags() {
        String serve = String.join("\n", Cli.run("serve", "--help").out());
        String connect = String.join("\n", Cli.run("connect", "--help").out());

        assertThat(serve).contains("--raw", "--delimiter=STR", "--lifecycle", "--profile=raw|fast|guarded|assured",
            "--max-message-size=BYTES", "--allowed-events=TYPE[,TYPE...]", "--allow-reserved", "--close-on-protocol-error",
            "--[no-]secure-socket-root", "--max-connections=N", "--no-unlink", "--readable-all", "--writable-all",
            "{\"event\":\"socket.disconnected\"").doesNotContain("--retry", "--emit-hex");
        assertThat(connect).contains("--raw", "--delimiter=STR", "--lifecycle", "--retry=MS", "--max-retries=N",
            "--stop-retrying", "--backoff", "--sync", "--encoding=ENC", "--emit-hex=HEX", "--emit-text=TEXT",
            "{\"event\":\"data\",\"hex\":\"ff000c41\"}").doesNotContain("--max-connections", "--profile");
    }
}
