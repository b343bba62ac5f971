package io.jipc.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;

/**
 * Wire-level interop with real node-ipc peers (9.2.1, @achrinza 10.1.11, 14.0.0), using only raw
 * Java sockets: no jipc API. It pins down the exact bytes each node-ipc generation produces, which
 * is what jipc's codec has to reproduce.
 *
 * <p>"Legacy" (9.x–12.x) normalises null / "" / undefined / NaN payloads to {} when sending;
 * "modern" (14) only undefined.
 */
@Timeout(60)
class NodeIpcWireTest {

    private static final Duration T = Duration.ofSeconds(20);
    private static final byte DELIM = 0x0C;

    // ------------------------------------------------------------------------------------------
    // node-ipc server (--echo) <-> raw Java client

    @ParameterizedTest
    @EnumSource(Lib.class)
    void echoesUnicodeControlCharactersAndLineSeparatorsVerbatim(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);

            String f1 = frame("message", "{\"a\":\"é😀\\f\u2028\"}");
            // JSON.stringify normalises escapes: \/ -> /, \u001F -> \u001f (lowercase), lone surrogates stay escaped,
            // U+2029 / U+007F / non-ASCII are written raw.
            String f2 = frame("esc", "\"a\\/b\\u0001\\u001F\\ud800\u2029\u007f\\\"\\\\\\b\\n\\r\\t\"");
            String f2Echo = frame("esc", "\"a/b\\u0001\\u001f\\ud800\u2029\u007f\\\"\\\\\\b\\n\\r\\t\"");
            c.write(bytes(f1 + f2), T);

            assertFrame(c.readFrames(1, T), f1);
            assertFrame(c.readFrames(1, T), f2Echo);

            List<JsonNode> got = server.awaitMessages(2, T);
            assertThat(got.get(0).path("type").asString()).isEqualTo("message");
            assertThat(got.get(0).path("data").path("a").asString()).isEqualTo("é😀\f\u2028");
            assertThat(got.get(0).path("socket").asInt()).isZero();
            assertThat(got.get(1).path("data").asString()).isEqualTo("a/b\u0001\u001f\ud800\u2029\u007f\"\\\b\n\r\t");
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void echoesNumbersAsJavaScriptFormatsThem(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);

            c.write(bytes(frame("n", "[1e21,-0,0.1,9007199254740993,1.5e-7,-1e-7,123456789012345680000,"
                    + "5e-324,1E308,0.000001,100,1.0,2.50,-1.5E+2]")
                    + frame("n", "-0")
                    + frame("n", "1e21")), T);

            assertFrame(c.readFrames(1, T), frame("n", "[1e+21,0,0.1,9007199254740992,1.5e-7,-1e-7,"
                    + "123456789012345680000,5e-324,1e+308,0.000001,100,1,2.5,-150]"));
            assertFrame(c.readFrames(1, T), frame("n", "0"));
            assertFrame(c.readFrames(1, T), frame("n", "1e+21"));

            List<JsonNode> got = server.awaitMessages(3, T);
            assertThat(got.get(1).path("repr").asString()).isEqualTo("-0"); // node sees -0, sends 0
            assertThat(got.get(2).path("repr").asString()).isEqualTo("1e+21");
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void echoesNestedStructuresWithJavaScriptKeyOrder(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);

            c.write(bytes(frame("nested",
                    "{\"a\":[1,[2,[3,{\"b\":null}]],{}],\"c\":{\"d\":{\"e\":[]}},\"2\":1,\"1\":0,\"-1\":5,\"01\":6}")
                    + frame("arr", "[[],[[]],{},[{\"x\":[true,false,null]}]]")), T);

            // integer-like keys first, ascending; everything else in insertion order
            assertFrame(c.readFrames(1, T), frame("nested",
                    "{\"1\":0,\"2\":1,\"a\":[1,[2,[3,{\"b\":null}]],{}],\"c\":{\"d\":{\"e\":[]}},\"-1\":5,\"01\":6}"));
            assertFrame(c.readFrames(1, T), frame("arr", "[[],[[]],{},[{\"x\":[true,false,null]}]]"));
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void falsyPayloadsPerGeneration(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);

            c.write(bytes(frame("f", "null") + frame("f", "\"\"") + frame("f", "false") + frame("f", "0")
                    + "{\"type\":\"nodata\"}\f"), T);

            boolean legacy = lib.legacy();
            assertFrame(c.readFrames(1, T), frame("f", legacy ? "{}" : "null"));
            assertFrame(c.readFrames(1, T), frame("f", legacy ? "{}" : "\"\""));
            assertFrame(c.readFrames(1, T), frame("f", "false"));
            assertFrame(c.readFrames(1, T), frame("f", "0"));
            assertFrame(c.readFrames(1, T), frame("nodata", "{}")); // undefined -> {} everywhere

            List<JsonNode> got = server.awaitMessages(5, T);
            assertThat(got).extracting(e -> e.path("repr").asString())
                    .containsExactly("null", "\"\"", "false", "0", "undefined");
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void echoesOneMebibyteString(Lib lib) throws Exception {
        StringBuilder sb = new StringBuilder();
        String unit = "0123456789abcdefé😀\u2028 ";
        while (sb.toString().getBytes(UTF_8).length < 1 << 20) {
            sb.append(unit.repeat(1024));
        }
        String big = sb.toString();
        assertThat(big.getBytes(UTF_8).length).isGreaterThanOrEqualTo(1 << 20);
        String f = frame("big", "\"" + big + "\"");

        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);
            c.write(bytes(f), T);
            assertFrame(c.readFrames(1, T), f);
            JsonNode m = server.awaitMessages(1, T).get(0);
            assertThat(m.path("data").asString()).isEqualTo(big);
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void tenThousandPipelinedMessagesEchoInOrder(Lib lib) throws Exception {
        int n = 10_000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(frame("seq", "{\"seq\":" + i + ",\"text\":\"m" + i + "\"}"));
        }
        byte[] all = bytes(sb.toString());

        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);
            c.write(all, T);
            byte[] echoed = c.readFrames(n, T);
            assertBytes(echoed, all, "10k echoed frames");

            List<JsonNode> got = server.awaitMessages(n, T);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i).path("data").path("seq").asInt()).as("seq at %d", i).isEqualTo(i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void frameSplitInsideAMultiByteCharacterIsReassembled(Lib lib) throws Exception {
        String f = frame("split", "\"a😀b\"");
        byte[] b = bytes(f);
        int emoji = indexOf(b, "😀".getBytes(UTF_8));
        int cut = emoji + 2; // two of the emoji's four bytes in each write

        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);
            c.write(Arrays.copyOfRange(b, 0, cut), T);
            server.barrier(T); // node has read the first part
            assertThat(c.bufferedAfterPoll()).as("echo of an incomplete frame").isZero();
            c.write(Arrays.copyOfRange(b, cut, b.length), T);

            assertFrame(c.readFrames(1, T), f);
            assertThat(server.awaitMessages(1, T).get(0).path("data").asString()).isEqualTo("a😀b");
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void legacyHoldsCompleteFramesUntilAReadEndsWithTheDelimiter(Lib lib) throws Exception {
        String a = frame("a", "1");
        String bFrame = frame("b", "2");
        byte[] bb = bytes(bFrame);
        int cut = bb.length / 2;

        try (TempSockets tmp = TempSockets.create(); NodePeer server = echoServer(lib, tmp.newSocket());
                RawConn c = RawConn.connectUnix(serverPath(server))) {
            server.awaitEvent("connect", T);
            byte[] first = concat(bytes(a), Arrays.copyOfRange(bb, 0, cut));
            c.write(first, T);
            server.barrier(T);
            if (lib.legacy()) {
                // 9.x-12.x only parse when the buffered text ends with the delimiter: "a" waits for "b"
                assertThat(c.bufferedAfterPoll()).as("legacy: nothing delivered yet").isZero();
            } else {
                assertFrame(c.readFrames(1, T), a);
            }
            c.write(Arrays.copyOfRange(bb, cut, bb.length), T);
            if (lib.legacy()) {
                assertFrame(c.readFrames(1, T), a);
            }
            assertFrame(c.readFrames(1, T), bFrame);
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void tcpEcho(Lib lib) throws Exception {
        int port = TempSockets.freeTcpPort();
        try (NodePeer server = NodePeer.server(lib, Transport.TCP, "127.0.0.1:" + port, "--echo")) {
            server.awaitEvent("ready", T);
            try (RawConn c = RawConn.connect(SocketChannel.open(StandardProtocolFamily.INET),
                    new InetSocketAddress("127.0.0.1", port))) {
                server.awaitEvent("connect", T);
                String f = frame("message", "{\"tcp\":\"é😀\",\"n\":[1,2.5]}");
                c.write(bytes(f), T);
                assertFrame(c.readFrames(1, T), f);
            }
            server.awaitEvent("socket.disconnected", T);
        }
    }

    // ------------------------------------------------------------------------------------------
    // node-ipc client -> raw Java server

    @ParameterizedTest
    @EnumSource(Lib.class)
    void clientSendsExactBytesAndNothingOnConnect(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create()) {
            Path path = tmp.newSocket();
            try (ServerSocketChannel ssc = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                ssc.bind(UnixDomainSocketAddress.of(path));
                try (NodePeer client = NodePeer.client(lib, Transport.UNIX, path.toString());
                        RawConn c = RawConn.accept(ssc, T)) {
                    client.awaitEvent("connect", T);
                    client.barrier(T);
                    assertThat(c.bufferedAfterPoll()).as("bytes sent on connect").isZero();

                    client.command(NodePeer.emitSpecial("v", "null"), T);
                    client.command(NodePeer.emitSpecial("v", "undefined"), T);
                    client.command(NodePeer.emitSpecial("v", "NaN"), T);
                    client.command(NodePeer.emit("v", ""), T);
                    client.command(NodePeer.emitSpecial("v", "-0"), T);
                    client.command(NodePeer.emit("v", 0), T);
                    client.command(NodePeer.emit("v", false), T);
                    client.command(NodePeer.emit("message", java.util.Map.of("é", "😀\f\u2028")), T);

                    boolean legacy = lib.legacy();
                    String expected = frame("v", legacy ? "{}" : "null")
                            + frame("v", "{}")
                            + frame("v", legacy ? "{}" : "null")
                            + frame("v", legacy ? "{}" : "\"\"")
                            + frame("v", "0")
                            + frame("v", "0")
                            + frame("v", "false")
                            + frame("message", "{\"é\":\"😀\\f\u2028\"}");
                    assertBytes(c.readFrames(8, T), bytes(expected), "frames sent by the node client");
                    client.barrier(T);
                    assertThat(c.bufferedAfterPoll()).as("extra bytes").isZero();

                    // and the other direction: raw Java server -> node client
                    String in = frame("hello", "{\"x\":[1,\"é😀\"]}") + frame("hello", "-0");
                    c.write(bytes(in), T);
                    List<JsonNode> got = client.awaitMessages(2, T);
                    assertThat(got.get(0).path("data").path("x").get(1).asString()).isEqualTo("é😀");
                    assertThat(got.get(0).has("socket")).isFalse();
                    assertThat(got.get(1).path("repr").asString()).isEqualTo("-0");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    private static NodePeer echoServer(Lib lib, Path socket) {
        NodePeer p = NodePeer.server(lib, Transport.UNIX, socket.toString(), "--echo");
        try {
            p.awaitEvent("ready", T);
        } catch (AssertionError | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private static Path serverPath(NodePeer server) {
        return Path.of(server.endpoint());
    }

    private static String frame(String type, String dataJson) {
        return "{\"type\":\"" + type + "\",\"data\":" + dataJson + "}\f";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("needle not found");
    }

    private static void assertFrame(byte[] actual, String expectedFrame) {
        assertBytes(actual, bytes(expectedFrame), "frame");
    }

    private static void assertBytes(byte[] actual, byte[] expected, String what) {
        if (Arrays.equals(actual, expected)) {
            return;
        }
        int at = Arrays.mismatch(actual, expected);
        int from = Math.max(0, at - 60);
        throw new AssertionError(what + ": bytes differ at offset " + at + " (actual " + actual.length
                + " bytes, expected " + expected.length + ")\n  actual   …"
                + show(actual, from, at + 60) + "\n  expected …" + show(expected, from, at + 60));
    }

    private static String show(byte[] b, int from, int to) {
        int end = Math.min(b.length, to);
        if (from >= end) {
            return "(end)";
        }
        return new String(b, from, end - from, UTF_8).replace("\f", "\\f");
    }

    /**
     * A non-blocking socket with a selector: writes never deadlock against the peer's echoes
     * (incoming bytes are buffered while writing), and every read is bounded by a deadline.
     */
    static final class RawConn implements AutoCloseable {
        private static final int MAX_BUFFER = 64 << 20;

        private final SocketChannel ch;
        private final Selector selector;
        private final SelectionKey key;
        private byte[] buf = new byte[64 << 10];
        private int len;
        private int scanned; // bytes already scanned for delimiters
        private int delims; // delimiters within [0, scanned)
        private boolean eof;

        private RawConn(SocketChannel ch) throws IOException {
            this.ch = ch;
            ch.configureBlocking(false);
            this.selector = Selector.open();
            this.key = ch.register(selector, SelectionKey.OP_READ);
        }

        static RawConn connectUnix(Path path) throws IOException {
            return connect(SocketChannel.open(StandardProtocolFamily.UNIX), UnixDomainSocketAddress.of(path));
        }

        static RawConn connect(SocketChannel ch, SocketAddress addr) throws IOException {
            try {
                ch.connect(addr); // blocking connect: immediate on loopback / Unix sockets
                return new RawConn(ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        static RawConn accept(ServerSocketChannel ssc, Duration timeout) throws IOException {
            ssc.configureBlocking(false);
            try (Selector s = Selector.open()) {
                ssc.register(s, SelectionKey.OP_ACCEPT);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    SocketChannel ch = ssc.accept();
                    if (ch != null) {
                        try {
                            return new RawConn(ch);
                        } catch (IOException | RuntimeException e) {
                            ch.close();
                            throw e;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no connection accepted within " + timeout);
                    }
                    s.select(Math.max(1, left / 1_000_000));
                    s.selectedKeys().clear();
                }
            }
        }

        void write(byte[] data, Duration timeout) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(data);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.hasRemaining()) {
                ch.write(out);
                if (!out.hasRemaining()) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("write of " + data.length + " bytes not done within " + timeout
                            + " (" + out.remaining() + " left)");
                }
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                readAvailable(); // keep draining the echoes so that the peer never blocks on us
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        /** Reads until {@code n} delimiters are buffered; returns those bytes (delimiters included). */
        byte[] readFrames(int n, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                scan();
                if (delims >= n) {
                    int end = endOfNthDelimiter(n);
                    byte[] r = Arrays.copyOfRange(buf, 0, end);
                    System.arraycopy(buf, end, buf, 0, len - end);
                    len -= end;
                    scanned = 0;
                    delims = 0;
                    return r;
                }
                if (eof) {
                    throw new AssertionError("connection closed after " + delims + " of " + n + " frames; buffered: "
                            + new String(buf, 0, Math.min(len, 300), UTF_8));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("got " + delims + " of " + n + " frames within " + timeout
                            + "; buffered " + len + " bytes: " + new String(buf, 0, Math.min(len, 300), UTF_8));
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                readAvailable();
            }
        }

        /** Reads whatever is available right now (no waiting) and returns the number of buffered bytes. */
        int bufferedAfterPoll() throws IOException {
            selector.selectNow();
            selector.selectedKeys().clear();
            readAvailable();
            return len;
        }

        private void readAvailable() throws IOException {
            for (int i = 0; i < 10_000 && !eof; i++) {
                if (len == buf.length) {
                    if (buf.length >= MAX_BUFFER) {
                        throw new AssertionError("more than " + MAX_BUFFER + " bytes buffered");
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (n < 0) {
                    eof = true;
                } else if (n == 0) {
                    return;
                } else {
                    len += n;
                }
            }
        }

        private void scan() {
            for (; scanned < len; scanned++) {
                if (buf[scanned] == DELIM) {
                    delims++;
                }
            }
        }

        private int endOfNthDelimiter(int n) {
            int seen = 0;
            for (int i = 0; i < len; i++) {
                if (buf[i] == DELIM && ++seen == n) {
                    return i + 1;
                }
            }
            throw new IllegalStateException("delimiter count out of sync");
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                ch.close();
            }
        }
    }
}
