package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.PayloadProfile;
import io.jipc.interop.InteropCases.Case;
import io.jipc.interop.InteropCases.Inbox;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;

/**
 * Real node-ipc servers (9.2.1, @achrinza 10.1.11, 14.0.0; {@code peer.js --echo}) ↔ jipc client,
 * through the jipc API. 9.x/10.x servers normalise null / "" / NaN to {} when they echo, 14 keeps them.
 */
@Timeout(60)
class NodeServerJipcClientTest {

    /** Connects a jipc client (id "peer") to {@code server}, recording "message"/"seq"/"big" payloads. */
    private static IpcClient connect(Ipc ipc, NodePeer server, Inbox<JsonNode> got) throws InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        IpcClient c = ipc.connectTo("peer", server.endpoint(), cl -> {
            for (String type : List.of("message", "seq", "big", "news", "special")) {
                cl.on(type, got::accept);
            }
            cl.onConnect(up::countDown);
        });
        assertThat(up.await(T.toSeconds(), TimeUnit.SECONDS)).as("jipc client connected").isTrue();
        server.awaitEvent("connect", T);
        return c;
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void payloadsEchoedByANodeServer(Lib lib) throws Exception {
        roundTrip(lib, InteropCases.profileOf(lib), InteropCases.all());
    }

    /** The other profile changes what jipc sends (seen by the server), not the legacy server's echo. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void falsyPayloadsWithTheOtherProfile(Lib lib) throws Exception {
        roundTrip(lib, InteropCases.otherProfile(lib), InteropCases.falsy());
    }

    private void roundTrip(Lib lib, PayloadProfile profile, List<Case> cases) throws Exception {
        Inbox<JsonNode> got = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); NodePeer server = InteropCases.nodeEchoServer(lib, tmp.newSocket());
                Ipc ipc = InteropCases.jipc("cli", profile, tmp.dir())) {
            IpcClient c = connect(ipc, server, got);
            for (Case k : cases) {
                k.emitFrom(c, "message");
            }
            assertThat(InteropCases.reprs(server, cases.size())).as("what the %s server received from jipc (%s)", lib, profile)
                .isEqualTo(InteropCases.texts(cases, k -> k.sentBy(profile)));
            InteropCases.assertJson(got.await(cases.size(), T), InteropCases.texts(cases, k -> k.afterBothHops(lib, profile)),
                "what jipc got back from the " + lib + " server");
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void oneMebibyteString(Lib lib) throws Exception {
        String big = InteropCases.mebibyteString();
        Inbox<JsonNode> got = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); NodePeer server = InteropCases.nodeEchoServer(lib, tmp.newSocket());
                Ipc ipc = InteropCases.jipc("cli", InteropCases.profileOf(lib), tmp.dir())) {
            connect(ipc, server, got).emit("big", big);
            assertThat(server.awaitMessages(1, T).get(0).path("data").asString()).isEqualTo(big);
            assertThat(got.await(1, T).get(0).asString()).isEqualTo(big);
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void tenThousandMessagesArriveInOrderAndEchoInOrder(Lib lib) throws Exception {
        int n = 10_000;
        Inbox<JsonNode> got = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); NodePeer server = InteropCases.nodeEchoServer(lib, tmp.newSocket());
                Ipc ipc = InteropCases.jipc("cli", InteropCases.profileOf(lib), tmp.dir())) {
            IpcClient c = connect(ipc, server, got);
            for (int i = 0; i < n; i++) {
                c.emit("seq", InteropCases.JSON.createObjectNode().put("seq", i).put("text", "m" + i));
            }
            List<JsonNode> atNode = server.awaitMessages(n, T);
            for (int i = 0; i < n; i++) {
                assertThat(atNode.get(i).path("repr").asString()).as("message %d at node", i)
                    .isEqualTo("{\"seq\":" + i + ",\"text\":\"m" + i + "\"}");
            }
            List<JsonNode> back = got.await(n, T);
            for (int i = 0; i < n; i++) {
                assertThat(back.get(i)).as("echo %d at jipc", i)
                    .isEqualTo(InteropCases.parse("{\"seq\":" + i + ",\"text\":\"m" + i + "\"}"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void nodeBroadcastReachesJipcClients(Lib lib) throws Exception {
        Inbox<JsonNode> a = new Inbox<>();
        Inbox<JsonNode> b = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); NodePeer server = InteropCases.nodeEchoServer(lib, tmp.newSocket());
                Ipc ipcA = InteropCases.jipc("a", InteropCases.profileOf(lib), tmp.dir());
                Ipc ipcB = InteropCases.jipc("b", InteropCases.profileOf(lib), tmp.dir())) {
            connect(ipcA, server, a);
            connect(ipcB, server, b);
            server.command(Map.of("cmd", "broadcast", "type", "news", "data", Map.of("text", "é😀\u2028")), T);
            server.command(Map.of("cmd", "broadcast", "type", "news", "special", "null"), T);
            String nul = lib.legacy() ? "{}" : "null";
            for (Inbox<JsonNode> in : List.of(a, b)) {
                assertThat(in.await(2, T)).containsExactly(InteropCases.parse("{\"text\":\"é😀\u2028\"}"),
                    InteropCases.parse(nul));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void nodeServerEmitsSpecialValuesAsTheLibSendsThem(Lib lib) throws Exception {
        List<Case> cases = new ArrayList<>(InteropCases.falsy());
        cases.add(InteropCases.payloads().stream().filter(k -> k.name().equals("-0")).findFirst().orElseThrow());
        Inbox<JsonNode> got = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); NodePeer server = InteropCases.nodeEchoServer(lib, tmp.newSocket());
                Ipc ipc = InteropCases.jipc("cli", InteropCases.profileOf(lib), tmp.dir())) {
            connect(ipc, server, got);
            for (Case k : cases) {
                server.command(k.nodeEmit("special"), T);
            }
            // legacy: null, "", undefined, NaN -> {}; 14: NaN -> null, undefined -> {}; -0 -> 0 everywhere
            InteropCases.assertJson(got.await(cases.size(), T), InteropCases.texts(cases, k -> k.sentBy(lib)),
                "what jipc got from " + lib + " server.emit");
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void reconnectsToARestartedServerAndDeliversWhatWasEmittedWhileDown(Lib lib) throws Exception {
        Inbox<JsonNode> got = new Inbox<>();
        Inbox<String> events = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); Ipc ipc = InteropCases.jipc("cli", InteropCases.profileOf(lib), tmp.dir())) {
            Path path = tmp.newSocket();
            IpcClient c;
            try (NodePeer first = InteropCases.nodeEchoServer(lib, path)) {
                c = connect(ipc, first, got);
                c.onDisconnect(() -> events.accept("disconnect")).onError(e -> events.accept("error"));
                events.accept("connect");
                c.emit("message", Map.of("n", 1));
                assertThat(got.await(1, T)).containsExactly(InteropCases.parse("{\"n\":1}"));

                ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly); // crash: the socket file stays
                ProcessHandle.of(first.pid()).ifPresent(p -> p.onExit().join());
            }
            events.awaitItem("disconnect", T);
            events.awaitItem("error", T); // a retry (100 ms) was refused
            assertThat(c.isConnected()).isFalse();
            c.onConnect(() -> events.accept("connect"));
            c.emit("message", Map.of("queued", true)); // while down: queued by jipc

            try (NodePeer second = InteropCases.nodeEchoServer(lib, path)) {
                second.awaitEvent("connect", T);
                assertThat(second.awaitMessages(1, T).get(0).path("repr").asString()).isEqualTo("{\"queued\":true}");
                assertThat(got.await(2, T).get(1)).isEqualTo(InteropCases.parse("{\"queued\":true}"));
                assertThat(String.join(",", events.snapshot()))
                    .as("jipc lifecycle events").matches("connect,disconnect,(error,disconnect,)+connect");
            }
        }
    }
}
