package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcSocket;
import io.jipc.PayloadProfile;
import io.jipc.interop.InteropCases.Case;
import io.jipc.interop.NodeIpcWireTest.RawConn;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Byte-exactness of what jipc sends. For every payload case, four senders emit the same value to a raw
 * Java socket peer: a node-ipc client and a node-ipc server of {@code lib} (captured live), and a
 * jipc client and a jipc server with the profile of the same generation. All four byte streams must
 * be identical, and equal to the expected frames ({@code {"type":"w","data":…}\f}, per generation).
 */
@Timeout(60)
class JipcWireBytesTest {
    private static final String TYPE = "w";

    @ParameterizedTest
    @EnumSource(Lib.class)
    void jipcSendsExactlyTheBytesNodeIpcOfTheSameGenerationSends(Lib lib) throws Exception {
        List<Case> cases = InteropCases.all();
        PayloadProfile profile = InteropCases.profileOf(lib);
        StringBuilder sb = new StringBuilder();
        for (Case k : cases) {
            sb.append(InteropCases.frame(TYPE, k.sentBy(lib)));
        }
        byte[] expected = InteropCases.bytes(sb.toString());

        try (TempSockets tmp = TempSockets.create()) {
            byte[] nodeClient = fromNodeClient(lib, tmp.newSocket(), cases);
            byte[] nodeServer = fromNodeServer(lib, tmp.newSocket(), cases);
            byte[] jipcClient = fromJipcClient(profile, tmp, cases);
            byte[] jipcServer = fromJipcServer(profile, tmp, cases);

            InteropCases.assertBytes(nodeClient, expected, lib + " client.emit (expected table)");
            InteropCases.assertBytes(nodeServer, nodeClient, lib + " server.emit vs client.emit");
            InteropCases.assertBytes(jipcClient, nodeClient, "jipc " + profile + " client.emit vs " + lib + " client.emit");
            InteropCases.assertBytes(jipcServer, nodeServer, "jipc " + profile + " server emit vs " + lib + " server.emit");
        }
    }

    /**
     * A 1 MiB string (multi-byte UTF-8, emoji, U+2028), once per profile: jipc LEGACY client vs a 9.2.1
     * client, jipc MODERN server vs a 14.0.0 server (one lib per profile keeps the run time down: the
     * test JVM's paranoid leak detection makes jipc's encoding of a MiB take seconds).
     */
    @Test
    void oneMebibyteStringIsSentExactlyAsNodeIpcSendsIt() throws Exception {
        String big = InteropCases.mebibyteString();
        List<Case> one = List.of(new Case("1 MiB", JsonNodeFactory.instance.stringNode(big), null,
            "\"" + big + "\"", "\"" + big + "\""));
        byte[] expected = InteropCases.bytes(InteropCases.frame(TYPE, "\"" + big + "\""));
        try (TempSockets tmp = TempSockets.create()) {
            InteropCases.assertBytes(fromNodeClient(Lib.V9, tmp.newSocket(), one), expected, "9.2.1 client.emit");
            InteropCases.assertBytes(fromNodeServer(Lib.V14, tmp.newSocket(), one), expected, "14.0.0 server.emit");
            InteropCases.assertBytes(fromJipcClient(PayloadProfile.LEGACY, tmp, one), expected, "jipc LEGACY client");
            InteropCases.assertBytes(fromJipcServer(PayloadProfile.MODERN, tmp, one), expected, "jipc MODERN server");
        }
    }

    /** The other profile sends different bytes exactly for the empty values. */
    @ParameterizedTest
    @EnumSource(PayloadProfile.class)
    void jipcBytesForEmptyValuesPerProfile(PayloadProfile profile) throws Exception {
        List<Case> cases = InteropCases.falsy();
        StringBuilder sb = new StringBuilder();
        for (Case k : cases) {
            sb.append(InteropCases.frame(TYPE, k.sentBy(profile)));
        }
        String expected = profile == PayloadProfile.LEGACY
            ? "{\"type\":\"w\",\"data\":{}}\f{\"type\":\"w\",\"data\":{}}\f{\"type\":\"w\",\"data\":false}\f"
                + "{\"type\":\"w\",\"data\":0}\f{\"type\":\"w\",\"data\":{}}\f{\"type\":\"w\",\"data\":{}}\f"
            : "{\"type\":\"w\",\"data\":null}\f{\"type\":\"w\",\"data\":\"\"}\f{\"type\":\"w\",\"data\":false}\f"
                + "{\"type\":\"w\",\"data\":0}\f{\"type\":\"w\",\"data\":{}}\f{\"type\":\"w\",\"data\":null}\f";
        assertThat(sb.toString()).isEqualTo(expected);
        try (TempSockets tmp = TempSockets.create()) {
            InteropCases.assertBytes(fromJipcClient(profile, tmp, cases), InteropCases.bytes(expected), profile + " client");
            InteropCases.assertBytes(fromJipcServer(profile, tmp, cases), InteropCases.bytes(expected), profile + " server");
        }
    }

    // ------------------------------------------------------------------------------------------
    // capturing senders

    private static byte[] fromNodeClient(Lib lib, Path path, List<Case> cases) throws Exception {
        try (ServerSocketChannel ssc = listen(path);
                NodePeer client = InteropCases.nodeClient(lib, path);
                RawConn conn = RawConn.accept(ssc, T)) {
            client.awaitEvent("connect", T);
            for (Case k : cases) {
                client.command(k.nodeEmit(TYPE), T);
            }
            return readAll(conn, cases.size());
        }
    }

    private static byte[] fromNodeServer(Lib lib, Path path, List<Case> cases) throws Exception {
        try (NodePeer server = InteropCases.started(NodePeer.server(lib, Transport.UNIX, path.toString()), "ready");
                RawConn conn = RawConn.connectUnix(path)) {
            server.awaitEvent("connect", T);
            for (Case k : cases) {
                server.command(k.nodeEmit(TYPE), T);
            }
            return readAll(conn, cases.size());
        }
    }

    private static byte[] fromJipcClient(PayloadProfile profile, TempSockets tmp, List<Case> cases) throws Exception {
        Path path = tmp.newSocket();
        try (ServerSocketChannel ssc = listen(path); Ipc ipc = InteropCases.jipc("cli", profile, tmp.dir())) {
            IpcClient c = ipc.connectTo("raw", path.toString());
            try (RawConn conn = RawConn.accept(ssc, T)) {
                for (Case k : cases) {
                    k.emitFrom(c, TYPE);
                }
                return readAll(conn, cases.size());
            }
        }
    }

    private static byte[] fromJipcServer(PayloadProfile profile, TempSockets tmp, List<Case> cases) throws Exception {
        Path path = tmp.newSocket();
        CompletableFuture<IpcSocket> accepted = new CompletableFuture<>();
        try (Ipc ipc = InteropCases.jipc("srv", profile, tmp.dir())) {
            ipc.serve(path.toString()).onConnect(accepted::complete).start();
            try (RawConn conn = RawConn.connectUnix(path)) {
                IpcSocket socket = accepted.get(T.toSeconds(), TimeUnit.SECONDS);
                for (Case k : cases) {
                    k.emitFrom(socket, TYPE);
                }
                return readAll(conn, cases.size());
            }
        }
    }

    private static ServerSocketChannel listen(Path path) throws Exception {
        ServerSocketChannel ssc = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ssc.bind(UnixDomainSocketAddress.of(path));
        return ssc;
    }

    /** Exactly {@code n} frames, and nothing after them. */
    private static byte[] readAll(RawConn conn, int n) throws Exception {
        byte[] b = conn.readFrames(n, T);
        assertThat(conn.bufferedAfterPoll()).as("bytes after the %d frames", n).isZero();
        return b;
    }
}
