package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;

/**
 * rawBuffer mode (research §1.5) between jipc and real node-ipc peers, both directions, exact bytes.
 * Raw mode has no framing: a write may arrive as several {@code data} events (and several writes as
 * one), so each side reassembles until it has as many bytes as were sent.
 *
 * <p>What node-ipc really does (checked here):
 * <ul>
 *   <li>14.0.0: raw sockets have no {@code setEncoding}; every byte 0x00–0xFF round-trips.</li>
 *   <li>9.2.1 and @achrinza 10.1.11 <em>send</em> a Buffer exactly ({@code Buffer.from(buffer, enc)}
 *       copies it), but <em>receive</em> through {@code socket.setEncoding(encoding)} and then
 *       {@code Buffer.from(string, encoding)}. With {@code hex} or {@code latin1} that is lossless; with
 *       the default {@code utf8} every byte of an invalid sequence becomes U+FFFD: the 256 bytes
 *       00..FF arrive as 00..7F followed by 128 × {@code ef bf bd}. So a 9.x <em>sender</em> does not
 *       corrupt 0xFF on its way to jipc; a 9.x <em>receiver</em> does (and an echo sends that on).</li>
 *   <li>A raw string payload is encoded with {@code config.encoding}; with {@code hex} Node's
 *       {@code Buffer.from(s, 'hex')} stops at the first pair that is not two ASCII hex digits (an odd
 *       last digit is dropped, {@code "hi"} gives 0 bytes). jipc's {@code emit(String)} must match.</li>
 * </ul>
 */
@Timeout(60)
class RawBufferInteropTest {

    private static final HexFormat HEX = HexFormat.of();

    /** 0x00, 0x01, …, 0xFF. */
    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** 256 KiB, every byte value at every offset mod 256 (larger than one socket read). */
    private static byte[] big() {
        byte[] b = new byte[256 * 1024];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i + i / 256 * 7);
        }
        return b;
    }

    /** What a 9.x/10.x utf8 raw receiver makes of 00..FF: ASCII kept, each high byte → U+FFFD (ef bf bd). */
    private static byte[] allBytesThroughLegacyUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 128; i++) {
            out.write(i);
        }
        for (int i = 0; i < 128; i++) {
            out.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd});
        }
        return out.toByteArray();
    }

    // ----------------------------------------------------------------------------------------------
    // node-ipc 14: exact bytes both ways

    @Test
    void jipcClientBytesRoundTripThroughANode14RawEchoServer() throws Exception {
        clientToNodeServer(Lib.V14, null, List.of(allBytes(), big()), List.of(allBytes(), big()), List.of(allBytes(), big()));
    }

    @Test
    void node14RawClientBytesRoundTripThroughAJipcRawEchoServer() throws Exception {
        nodeClientToServer(Lib.V14, null, List.of(allBytes(), big()), List.of(allBytes(), big()), List.of(allBytes(), big()));
    }

    // ----------------------------------------------------------------------------------------------
    // node-ipc 9.2.1 / @achrinza 10.1.11: lossless only with a byte-preserving encoding

    static Stream<Arguments> legacyLosslessEncodings() {
        return Stream.of(Lib.V9, Lib.ACHRINZA10).flatMap(l -> Stream.of(Arguments.of(l, "hex"), Arguments.of(l, "latin1")));
    }

    @ParameterizedTest(name = "{0} --encoding={1}")
    @MethodSource("legacyLosslessEncodings")
    void legacyRawPeersWithAByteEncodingRoundTripEveryByte(Lib lib, String encoding) throws Exception {
        List<byte[]> sent = List.of(allBytes(), big());
        clientToNodeServer(lib, encoding, sent, sent, sent);
        nodeClientToServer(lib, encoding, sent, sent, sent);
    }

    /** Default utf8: the legacy receive path corrupts invalid UTF-8; its send path does not. */
    @ParameterizedTest
    @EnumSource(value = Lib.class, names = {"V9", "ACHRINZA10"})
    void legacyRawPeersWithUtf8CorruptWhatTheyReceiveNotWhatTheySend(Lib lib) throws Exception {
        byte[] corrupted = allBytesThroughLegacyUtf8();
        // jipc → 9.x server: the server's data event already has ef bf bd; its echo sends those bytes on
        clientToNodeServer(lib, null, List.of(allBytes()), List.of(corrupted), List.of(corrupted));
        // 9.x client → jipc: jipc gets the exact bytes (0xff is ff); jipc's exact echo is corrupted on arrival
        nodeClientToServer(lib, null, List.of(allBytes()), List.of(allBytes()), List.of(corrupted));
    }

    // ----------------------------------------------------------------------------------------------
    // raw strings in encoding "hex"

    /** Strings emitted in raw mode with {@code encoding=hex}; what Node's {@code Buffer.from(s,'hex')} makes of each. */
    private static final List<String> HEX_STRINGS = List.of("ff00", "hi", "FFee", "ff0", "ab0gcd");
    private static final String HEX_STRINGS_BYTES = "ff00" + "" + "ffee" + "ff" + "ab";

    @Test
    void jipcHexStringsGoOnTheWireAsNodeEncodesThem() throws Exception {
        try (TempSockets tmp = TempSockets.create()) {
            // jipc client (encoding hex) → node 14 raw server: emit("ff00") is the bytes ff 00
            Path p1 = tmp.newSocket();
            try (NodePeer server = InteropCases.started(NodePeer.server(Lib.V14, Transport.UNIX, p1.toString(), "--raw"), "ready");
                    Ipc ipc = jipc(tmp, "hex")) {
                IpcClient c = connect(ipc, p1, new Sink());
                server.awaitEvent("connect", T);
                for (String s : HEX_STRINGS) {
                    c.emit(s);
                }
                assertThat(nodeHex(server, HEX_STRINGS_BYTES.length() / 2)).isEqualTo(HEX_STRINGS_BYTES);
                server.barrier(T);
                assertThat(allNodeHex(server)).as("nothing more").isEqualTo(HEX_STRINGS_BYTES);
            }
            // node 14 raw client (encoding hex) emitting the same strings → jipc raw server: same bytes
            Path p2 = tmp.newSocket();
            Sink atJipc = new Sink();
            try (Ipc ipc = jipc(tmp, null)) {
                startServer(ipc, p2, atJipc, false);
                try (NodePeer client = InteropCases.nodeClient(Lib.V14, p2, "--raw", "--encoding=hex")) {
                client.awaitEvent("connect", T);
                for (String s : HEX_STRINGS) {
                    client.command(Map.of("cmd", "emit", "data", s), T);
                }
                    assertThat(HEX.formatHex(atJipc.await(HEX_STRINGS_BYTES.length() / 2, T))).isEqualTo(HEX_STRINGS_BYTES);
                }
            }
            // jipc server (encoding hex) → 9.2.1 raw client with encoding hex: socket.emit("ff00") is ff 00
            Path p3 = tmp.newSocket();
            try (Ipc ipc = jipc(tmp, "hex")) {
                IpcServer srv = ipc.serve(p3.toString());
                srv.onConnect(socket -> socket.emit("ff00"));
                srv.start();
                try (NodePeer client = InteropCases.nodeClient(Lib.V9, p3, "--raw", "--encoding=hex")) {
                    client.awaitEvent("connect", T);
                    assertThat(nodeHex(client, 2)).isEqualTo("ff00");
                }
            }
        }
    }

    /**
     * Node's hex decoder takes ASCII digits only; {@code Character.digit} (used by jipc's
     * {@code NodeEncodings.hex}) also accepts other Unicode digits and fullwidth letters, so jipc sends
     * bytes where node-ipc stops.
     */
    @Test
    void hexStringsWithNonAsciiDigitsStopWhereNodeStops() throws Exception {
        List<String> strings = List.of("ff\u0660\u0661ab", "ee\uff10\uff10", "dd\uff21\uff22");
        String expected = "ffeedd"; // Buffer.from(s, 'hex') for each (checked with node 20)
        try (TempSockets tmp = TempSockets.create()) {
            Path p = tmp.newSocket();
            try (NodePeer server = InteropCases.started(NodePeer.server(Lib.V14, Transport.UNIX, p.toString(), "--raw"), "ready");
                    Ipc ipc = jipc(tmp, "hex")) {
                IpcClient c = connect(ipc, p, new Sink());
                server.awaitEvent("connect", T);
                for (String s : strings) {
                    c.emit(s);
                }
                c.emit("00"); // marker: when it is there, everything before it has arrived
                StringBuilder got = new StringBuilder();
                while (got.length() < expected.length() + 2 || !got.toString().endsWith("00")) {
                    got.append(server.awaitEvent("data", T).path("hex").asString());
                }
                server.barrier(T);
                assertThat(allNodeHex(server)).isEqualTo(expected + "00");
            }
        }
    }

    /**
     * Node's base64 decoder skips characters outside the alphabet (not only whitespace) and stops at
     * {@code '='}; jipc's {@code NodeEncodings.base64} stops at the first character that is neither.
     * Differential: the same strings emitted by a node-ipc 14 raw client ({@code --encoding=base64}) and
     * by a jipc raw client ({@code encoding("base64")}) must put the same bytes on the wire.
     */
    @Test
    void base64StringsGoOnTheWireAsNodeEncodesThem() throws Exception {
        // Buffer.from(s,'base64') (node 20): 616263, 616263, 616263, fbffbf, 61, 61626364, 61, 6162, 666f6f626172
        List<String> strings = List.of("YW*Jj", "Y W\nJ\tj", "YWJj=YWJj", "-_-_", "YQ", "YWJj\u00e9ZA", "YW=Jj", "YWJ", "Zm9v.YmFy");
        String expected = "616263" + "616263" + "616263" + "fbffbf" + "61" + "61626364" + "61" + "6162" + "666f6f626172";
        String[] both = stringsBothWays("base64", strings, "3q2+7w==", "deadbeef");
        assertThat(both[0]).as("what node-ipc 14 sent").isEqualTo(expected + "deadbeef");
        assertThat(both[1]).as("what jipc sent").isEqualTo(both[0]);
    }

    /**
     * Emits {@code strings} then {@code marker} (which encodes to {@code markerHex}) in raw mode with
     * {@code encoding}, once from a node-ipc 14 raw client to a jipc raw server and once from a jipc raw
     * client to a node-ipc 14 raw server. @return {hex node sent, hex jipc sent}
     */
    private static String[] stringsBothWays(String encoding, List<String> strings, String marker, String markerHex)
            throws Exception {
        try (TempSockets tmp = TempSockets.create()) {
            String fromNode;
            Path p1 = tmp.newSocket();
            Sink atJipc = new Sink();
            try (Ipc ipc = jipc(tmp, null)) {
                startServer(ipc, p1, atJipc, false);
                try (NodePeer client = InteropCases.nodeClient(Lib.V14, p1, "--raw", "--encoding=" + encoding)) {
                    client.awaitEvent("connect", T);
                    for (String s : strings) {
                        client.command(Map.of("cmd", "emit", "data", s), T);
                    }
                    client.command(Map.of("cmd", "emit", "data", marker), T);
                    fromNode = atJipc.awaitHexEndingWith(markerHex, T);
                }
            }
            String fromJipc;
            Path p2 = tmp.newSocket();
            try (NodePeer server = InteropCases.started(NodePeer.server(Lib.V14, Transport.UNIX, p2.toString(), "--raw"), "ready");
                    Ipc ipc = jipc(tmp, encoding)) {
                IpcClient c = connect(ipc, p2, new Sink());
                server.awaitEvent("connect", T);
                for (String s : strings) {
                    c.emit(s);
                }
                c.emit(marker);
                StringBuilder got = new StringBuilder();
                while (!got.toString().endsWith(markerHex)) {
                    got.append(server.awaitEvent("data", T).path("hex").asString());
                }
                server.barrier(T);
                fromJipc = allNodeHex(server);
            }
            return new String[] {fromNode, fromJipc};
        }
    }

    // ----------------------------------------------------------------------------------------------
    // scenarios

    /**
     * jipc raw client → node raw echo server ({@code encoding} on the node side, null = default utf8):
     * sends each of {@code sent}; the server's {@code data} events must add up to {@code atNode}, and
     * what comes back to jipc to {@code back} (per payload, in order).
     */
    private static void clientToNodeServer(Lib lib, String encoding, List<byte[]> sent, List<byte[]> atNode,
            List<byte[]> back) throws Exception {
        try (TempSockets tmp = TempSockets.create();
                NodePeer server = InteropCases.started(NodePeer.server(lib, Transport.UNIX, tmp.newSocket().toString(),
                    args(encoding, "--raw", "--echo")), "ready");
                Ipc ipc = jipc(tmp, null)) {
            Sink sink = new Sink();
            IpcClient c = connect(ipc, Path.of(server.endpoint()), sink);
            server.awaitEvent("connect", T);
            for (int i = 0; i < sent.size(); i++) {
                c.emit(sent.get(i));
                int events = server.history().size();
                String seen = nodeHex(server, atNode.get(i).length);
                assertBytes(HEX.parseHex(seen), atNode.get(i), lib + " server (" + enc(encoding) + ") received payload " + i
                    + " from jipc");
                assertBytes(sink.await(back.get(i).length, T), back.get(i), "jipc got back payload " + i + " from the " + lib
                    + " server");
                System.err.printf("[RawBufferInteropTest] jipc -> %s server (%s): %d bytes in %d data events%n", lib,
                    enc(encoding), sent.get(i).length, countData(server.history().subList(events, server.history().size())));
            }
        }
    }

    /**
     * node raw client → jipc raw echo server: the node client emits each of {@code sent}; jipc must
     * receive {@code atJipc} and the node client, after jipc's exact echo, {@code back}.
     */
    private static void nodeClientToServer(Lib lib, String encoding, List<byte[]> sent, List<byte[]> atJipc,
            List<byte[]> back) throws Exception {
        try (TempSockets tmp = TempSockets.create(); Ipc ipc = jipc(tmp, null)) {
            Path path = tmp.newSocket();
            Sink sink = new Sink();
            startServer(ipc, path, sink, true);
            try (NodePeer client = InteropCases.nodeClient(lib, path, args(encoding, "--raw"))) {
                client.awaitEvent("connect", T);
                for (int i = 0; i < sent.size(); i++) {
                    client.command(Map.of("cmd", "emitHex", "hex", HEX.formatHex(sent.get(i))), T);
                    assertBytes(sink.await(atJipc.get(i).length, T), atJipc.get(i), "jipc server received payload " + i
                        + " from a " + lib + " client (" + enc(encoding) + ")");
                    assertBytes(HEX.parseHex(nodeHex(client, back.get(i).length)), back.get(i), lib + " client ("
                        + enc(encoding) + ") got back payload " + i + " from jipc");
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // helpers

    private static String enc(String encoding) {
        return encoding == null ? "utf8" : encoding;
    }

    private static String[] args(String encoding, String... more) {
        return encoding == null ? more : Stream.concat(Stream.of(more), Stream.of("--encoding=" + encoding)).toArray(String[]::new);
    }

    /** jipc raw instance; {@code encoding} null = default (utf8). */
    private static Ipc jipc(TempSockets tmp, String encoding) {
        IpcConfig.Builder b = IpcConfig.builder().id("raw").socketRoot(tmp.dir() + "/").silent(true).retry(100).rawBuffer(true);
        if (encoding != null) {
            b.encoding(encoding);
        }
        return new Ipc(b.build());
    }

    private static IpcClient connect(Ipc ipc, Path path, Sink sink) throws InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        IpcClient c = ipc.connectTo("peer", path.toString(), cl -> cl.onData(sink::add).onConnect(up::countDown));
        assertThat(up.await(T.toSeconds(), TimeUnit.SECONDS)).as("jipc client connected").isTrue();
        return c;
    }

    /** A jipc raw server collecting into {@code sink}; with {@code echo} it writes every chunk back as is. */
    private static IpcServer startServer(Ipc ipc, Path path, Sink sink, boolean echo) {
        IpcServer srv = ipc.serve(path.toString());
        srv.onData((bytes, socket) -> {
            sink.add(bytes);
            if (echo) {
                socket.emit(bytes);
            }
        });
        return srv.start();
    }

    /** The next {@code nBytes} bytes a node peer reports as {@code data} events (reassembled), as hex. */
    private static String nodeHex(NodePeer peer, int nBytes) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 2 * nBytes) {
            sb.append(peer.awaitEvent("data", T).path("hex").asString());
        }
        assertThat(sb.length()).as("no more than %d bytes", nBytes).isEqualTo(2 * nBytes);
        return sb.toString();
    }

    /** Every byte a node peer reported so far, as hex. */
    private static String allNodeHex(NodePeer peer) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : peer.history()) {
            if (e.path("event").asString("").equals("data")) {
                sb.append(e.path("hex").asString());
            }
        }
        return sb.toString();
    }

    private static long countData(List<JsonNode> evs) {
        return evs.stream().filter(e -> e.path("event").asString("").equals("data")).count();
    }

    private static void assertBytes(byte[] actual, byte[] expected, String what) {
        if (!java.util.Arrays.equals(actual, expected)) {
            int at = java.util.Arrays.mismatch(actual, expected);
            fail(what + ": differ at offset " + at + " (actual " + actual.length + " bytes, expected " + expected.length
                + ")\n  actual   " + window(actual, at) + "\n  expected " + window(expected, at));
        }
    }

    private static String window(byte[] b, int at) {
        int from = Math.max(0, at - 8);
        int to = Math.min(b.length, at + 24);
        return from >= to ? "(end)" : "…" + HEX.formatHex(b, from, to) + "… (from offset " + from + ")";
    }

    /** jipc {@code data} chunks, reassembled; consumed in order. */
    static final class Sink {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private int consumed;
        private int chunks;

        synchronized void add(byte[] b) {
            buf.writeBytes(b);
            chunks++;
            notifyAll();
        }

        /** Waits until everything received so far ends with {@code suffixHex}; @return all of it as hex (consumes nothing). */
        synchronized String awaitHexEndingWith(String suffixHex, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!HEX.formatHex(buf.toByteArray()).endsWith(suffixHex)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("jipc: no bytes ending with " + suffixHex + " within " + timeout + "; got " + HEX.formatHex(buf.toByteArray()));
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return HEX.formatHex(buf.toByteArray());
        }

        /** The next {@code n} bytes, waiting for them; fails if more than that arrived. */
        synchronized byte[] await(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (buf.size() - consumed < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("jipc got " + (buf.size() - consumed) + " of " + n + " bytes within " + timeout + " (" + chunks + " chunks)");
                }
                wait(Math.max(1, left / 1_000_000));
            }
            byte[] all = buf.toByteArray();
            assertThat(all.length - consumed).as("bytes at jipc (no more than expected)").isEqualTo(n);
            byte[] out = java.util.Arrays.copyOfRange(all, consumed, consumed + n);
            consumed += n;
            return out;
        }
    }
}
