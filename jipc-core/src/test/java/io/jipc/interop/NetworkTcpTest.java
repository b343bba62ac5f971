package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static io.jipc.interop.NetworkSupport.caseFrames;
import static io.jipc.interop.NetworkSupport.caseType;
import static io.jipc.interop.NetworkSupport.jipc;
import static io.jipc.interop.NetworkSupport.port;
import static io.jipc.interop.NetworkSupport.rawBytes;
import static io.jipc.interop.NetworkSupport.start;
import static io.jipc.interop.NetworkSupport.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.PayloadProfile;
import io.jipc.interop.InteropCases.Case;
import io.jipc.interop.InteropCases.Inbox;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import tools.jackson.databind.JsonNode;

/**
 * jipc ↔ real node-ipc (9.2.1, @achrinza 10.1.11, 14.0.0) over TCP on 127.0.0.1, both directions:
 * the payload table of {@link InteropCases} (under the profile matching the lib), server-initiated
 * emits, 1,000 messages in order each way, and the exact bytes jipc puts on a TCP connection.
 */
@Timeout(60)
class NetworkTcpTest {
    private static final String HOST = "127.0.0.1";
    private static final int N = 1_000;

    @ParameterizedTest
    @EnumSource(Lib.class)
    void jipcServerNodeClient(Lib lib) throws Exception {
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<Case> cases = InteropCases.all();
        Inbox<JsonNode> got = new Inbox<>();
        Inbox<JsonNode> seq = new Inbox<>();
        Inbox<IpcSocket> connected = new Inbox<>();
        try (Ipc ipc = jipc("srv", profile, null)) {
            IpcServer srv = ipc.serveNet(HOST, 0);
            srv.onConnect(connected)
                .on("message", (d, s) -> {
                    got.accept(d);
                    s.emit("message", d);
                })
                .on("seq", (d, s) -> {
                    seq.accept(d);
                    s.emit("seq", d);
                });
            start(ipc, srv);
            try (NodePeer client = NetworkSupport.client(lib, Transport.TCP, HOST, port(srv))) {
                client.awaitEvent("connect", T);
                IpcSocket socket = connected.await(1, T).get(0);
                assertThat(((InetSocketAddress) socket.remoteAddress()).getAddress())
                    .isEqualTo(InetAddress.getByName(HOST));

                // node → jipc → node
                for (Case c : cases) {
                    client.command(c.nodeEmit("message"), T);
                }
                InteropCases.assertJson(got.await(cases.size(), T), texts(cases, c -> c.sentBy(lib)),
                    "what jipc received from the " + lib + " client over TCP");
                assertThat(InteropCases.reprs(client, cases.size())).as("echo at the %s client", lib)
                    .isEqualTo(texts(cases, c -> c.afterBothHops(lib, profile)));

                // jipc-initiated
                for (Case c : cases) {
                    c.emitFrom(socket, "direct");
                }
                assertThat(InteropCases.reprs(client, cases.size())).as("jipc server emits at the %s client", lib)
                    .isEqualTo(texts(cases, c -> c.sentBy(profile)));

                // 1,000 in order, each way
                client.command(Map.of("cmd", "emitRepeat", "type", "seq", "count", N, "dataPrefix", "t"), T);
                assertSeq(seq.await(N, T), "at jipc");
                assertSeqReprs(client.awaitMessages(N, T), "echo at node");
                assertThat(seq.snapshot()).hasSize(N);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void nodeServerJipcClient(Lib lib) throws Exception {
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<Case> cases = InteropCases.all();
        Inbox<JsonNode> got = new Inbox<>();
        Inbox<JsonNode> direct = new Inbox<>();
        Inbox<JsonNode> seq = new Inbox<>();
        CountDownLatch up = new CountDownLatch(1);
        try (NodePeer server = NetworkSupport.server(lib, Transport.TCP, HOST, NetworkSupport.freeTcpPort(), "--echo");
                Ipc ipc = jipc("cli", profile, null)) {
            int port = NetworkSupport.portOf(server);
            IpcClient c = ipc.connectToNet("peer", HOST, port, cl -> cl.on("message", got::accept)
                .on("direct", direct::accept).on("seq", seq::accept).onConnect(up::countDown));
            assertThat(up.await(T.toSeconds(), TimeUnit.SECONDS)).as("jipc client connected").isTrue();
            server.awaitEvent("connect", T);

            for (Case k : cases) {
                k.emitFrom(c, "message");
            }
            assertThat(InteropCases.reprs(server, cases.size())).as("what the %s server received from jipc", lib)
                .isEqualTo(texts(cases, k -> k.sentBy(profile)));
            InteropCases.assertJson(got.await(cases.size(), T), texts(cases, k -> k.afterBothHops(lib, profile)),
                "echo of the " + lib + " server at jipc");

            for (Case k : cases) {
                server.command(k.nodeEmit("direct"), T);
            }
            InteropCases.assertJson(direct.await(cases.size(), T), texts(cases, k -> k.sentBy(lib)),
                "what jipc got from " + lib + " server.emit");

            for (int i = 0; i < N; i++) {
                c.emit("seq", InteropCases.JSON.createObjectNode().put("seq", i).put("text", "t" + i));
            }
            assertSeqReprs(server.awaitMessages(N, T), "at node");
            assertSeq(seq.await(N, T), "echo at jipc");
        }
    }

    /** The exact bytes jipc writes on a TCP connection, both as client and as server (node 14 raw peer captures them). */
    @ParameterizedTest
    @EnumSource(PayloadProfile.class)
    void jipcTcpBytesAsClientAndServer(PayloadProfile profile) throws Exception {
        List<Case> cases = InteropCases.all();
        byte[] want = InteropCases.bytes(caseFrames(cases, profile));
        // jipc client → raw node server
        CountDownLatch up = new CountDownLatch(1);
        try (NodePeer server = NetworkSupport.server(Lib.V14, Transport.TCP, HOST, NetworkSupport.freeTcpPort(), "--raw");
                Ipc ipc = jipc("cli", profile, null)) {
            int port = NetworkSupport.portOf(server);
            IpcClient c = ipc.connectToNet("peer", HOST, port, cl -> cl.onConnect(up::countDown));
            assertThat(up.await(T.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < cases.size(); i++) {
                cases.get(i).emitFrom(c, caseType(i));
            }
            InteropCases.assertBytes(rawBytes(server, want.length), want, "jipc client bytes on TCP (" + profile + ")");
        }
        // jipc server → raw node client
        try (Ipc ipc = jipc("srv", profile, null)) {
            IpcServer srv = ipc.serveNet(HOST, 0).onConnect(s -> {
                for (int i = 0; i < cases.size(); i++) {
                    cases.get(i).emitFrom(s, caseType(i));
                }
            });
            start(ipc, srv);
            try (NodePeer client = NetworkSupport.client(Lib.V14, Transport.TCP, HOST, port(srv), "--raw")) {
                InteropCases.assertBytes(rawBytes(client, want.length), want, "jipc server bytes on TCP (" + profile + ")");
            }
        }
    }

    private static void assertSeq(List<JsonNode> got, String where) {
        assertThat(got).hasSize(N);
        for (int i = 0; i < N; i++) {
            JsonNode m = got.get(i);
            if (m.path("seq").asInt(-1) != i || !("t" + i).equals(m.path("text").asString(""))) {
                throw new AssertionError("message " + i + " " + where + " is " + m);
            }
        }
    }

    private static void assertSeqReprs(List<JsonNode> events, String where) {
        assertThat(events).hasSize(N);
        for (int i = 0; i < N; i++) {
            String want = "{\"seq\":" + i + ",\"text\":\"t" + i + "\"}";
            String got = events.get(i).path("repr").asString();
            if (!want.equals(got)) {
                throw new AssertionError("message " + i + " " + where + " is " + got + ", want " + want);
            }
        }
    }
}
