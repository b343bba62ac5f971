package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcServer;
import io.jipc.PayloadProfile;
import io.jipc.interop.InteropCases.Case;
import io.jipc.interop.InteropCases.Inbox;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * jipc server ↔ real node-ipc clients (9.2.1, @achrinza 10.1.11, 14.0.0), through the jipc API: the
 * node client emits, jipc's handler records and echoes with {@code socket.emit(type, data)}.
 *
 * <p>What jipc receives is what the lib puts on the wire; what the node client gets back must equal
 * what a node-ipc server of the same generation would echo (jipc running with the matching
 * {@link PayloadProfile}), and differs as documented under the other profile.
 */
@Timeout(60)
class JipcServerNodeClientTest {

    /** A jipc server on a temp socket that records every "message"/"seq" payload and echoes it. */
    private static final class EchoServer implements AutoCloseable {
        final Ipc ipc;
        final IpcServer server;
        final Inbox<JsonNode> got = new Inbox<>();
        final Path path;

        EchoServer(TempSockets tmp, PayloadProfile profile) {
            path = tmp.newSocket();
            ipc = InteropCases.jipc("srv", profile, tmp.dir());
            server = ipc.serve(path.toString());
            for (String type : List.of("message", "seq", "big")) {
                server.on(type, (data, socket) -> {
                    got.accept(data);
                    socket.emit(type, data);
                });
            }
        }

        /** Starts listening; closes the instance (its threads are non-daemon) if that fails. */
        EchoServer start() {
            try {
                server.start();
                return this;
            } catch (RuntimeException e) {
                ipc.close();
                throw e;
            }
        }

        @Override
        public void close() {
            ipc.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void payloadsArriveAsTheLibSendsThemAndEchoLikeANodeServer(Lib lib) throws Exception {
        roundTrip(lib, InteropCases.profileOf(lib), InteropCases.all());
    }

    /** Same falsy payloads with the profile of the other generation: only the echo differs. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void falsyPayloadsWithTheOtherProfile(Lib lib) throws Exception {
        roundTrip(lib, InteropCases.otherProfile(lib), InteropCases.falsy());
    }

    private void roundTrip(Lib lib, PayloadProfile profile, List<Case> cases) throws Exception {
        try (TempSockets tmp = TempSockets.create(); EchoServer srv = new EchoServer(tmp, profile).start();
                NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
            client.awaitEvent("connect", T);
            for (Case c : cases) {
                client.command(c.nodeEmit("message"), T);
            }
            InteropCases.assertJson(srv.got.await(cases.size(), T), InteropCases.texts(cases, c -> c.sentBy(lib)),
                "what jipc received from " + lib);
            List<String> back = InteropCases.reprs(client, cases.size());
            assertThat(back).as("what the %s client got back from jipc (%s)", lib, profile)
                .isEqualTo(InteropCases.texts(cases, c -> c.afterBothHops(lib, profile)));
            if (profile == InteropCases.profileOf(lib)) {
                assertThat(back).as("jipc's echo vs a real %s server's echo", lib).isEqualTo(nodeServerEcho(lib, cases, tmp));
            } else if (lib.legacy()) {
                // the legacy client already sent {} for every empty value: nothing left for MODERN to keep
                assertThat(back).isEqualTo(nodeServerEcho(lib, cases, tmp));
            } else {
                // LEGACY turns the null/""/NaN a 14 client sent into {}, which a 14 server would not
                assertThat(back).isNotEqualTo(nodeServerEcho(lib, cases, tmp));
            }
        }
    }

    /** What a node client of {@code lib} gets back from a node-ipc echo server of the same lib. */
    private static List<String> nodeServerEcho(Lib lib, List<Case> cases, TempSockets tmp) {
        try (NodePeer server = InteropCases.nodeEchoServer(lib, tmp.newSocket());
                NodePeer client = InteropCases.nodeClient(lib, Path.of(server.endpoint()))) {
            client.awaitEvent("connect", T);
            for (Case c : cases) {
                client.command(c.nodeEmit("message"), T);
            }
            return InteropCases.reprs(client, cases.size());
        }
    }

    /** jipc-initiated emits of empty values reach every lib as the profile says, whatever the lib. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void serverEmitsOfEmptyValuesFollowTheProfile(Lib lib) throws Exception {
        List<Case> cases = new ArrayList<>(InteropCases.falsy());
        cases.add(new Case("_maxListeners", InteropCases.parse("{\"_maxListeners\":1,\"z\":1}"), null,
            "{\"_maxListeners\":1,\"z\":1}", "{}"));
        for (PayloadProfile profile : PayloadProfile.values()) {
            try (TempSockets tmp = TempSockets.create(); EchoServer srv = new EchoServer(tmp, profile)) {
                srv.server.on("provoke", (d, socket) -> {
                    for (Case c : cases) {
                        c.emitFrom(socket, "direct");
                    }
                });
                srv.start();
                try (NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
                    client.awaitEvent("connect", T);
                    client.command(NodePeer.emit("provoke", 1), T);
                    assertThat(InteropCases.reprs(client, cases.size())).as("%s client, jipc %s", lib, profile)
                        .isEqualTo(InteropCases.texts(cases, c -> c.sentBy(profile)));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void oneMebibyteStringBothWays(Lib lib) throws Exception {
        String big = InteropCases.mebibyteString();
        try (TempSockets tmp = TempSockets.create();
                EchoServer srv = new EchoServer(tmp, InteropCases.profileOf(lib)).start();
                NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
            client.awaitEvent("connect", T);
            client.command(NodePeer.emit("big", big), T);
            assertThat(srv.got.await(1, T).get(0).asString()).isEqualTo(big);
            assertThat(client.awaitMessages(1, T).get(0).path("data").asString()).isEqualTo(big);
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void tenThousandMessagesArriveInOrderAndEchoInOrder(Lib lib) throws Exception {
        int n = 10_000;
        try (TempSockets tmp = TempSockets.create();
                EchoServer srv = new EchoServer(tmp, InteropCases.profileOf(lib)).start();
                NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
            client.awaitEvent("connect", T);
            client.command(Map.of("cmd", "emitRepeat", "type", "seq", "count", n, "dataPrefix", "m"), T);
            List<JsonNode> got = srv.got.await(n, T);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i)).as("jipc message %d", i)
                    .isEqualTo(InteropCases.parse("{\"seq\":" + i + ",\"text\":\"m" + i + "\"}"));
            }
            List<JsonNode> back = client.awaitMessages(n, T);
            for (int i = 0; i < n; i++) {
                assertThat(back.get(i).path("repr").asString()).as("echo %d at node", i)
                    .isEqualTo("{\"seq\":" + i + ",\"text\":\"m" + i + "\"}");
            }
            assertThat(srv.got.snapshot()).hasSize(n);
        }
    }

    record Numbered(int seq, String text) {
    }

    record Hello(String id, String text) {
    }

    /**
     * Handlers bound to records only: node-ipc's frames are read straight into the records (no tree), in order, and
     * an announced {@code data.id} still names the socket.
     */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void recordHandlersGetNodeMessagesInOrderAndTheAnnouncedId(Lib lib) throws Exception {
        int n = 2_000;
        Inbox<Numbered> got = new Inbox<>();
        Inbox<String> hellos = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); EchoServer srv = new EchoServer(tmp, InteropCases.profileOf(lib))) {
            srv.server.on("numbered", Numbered.class, (m, socket) -> got.accept(m))
                .on("hello", Hello.class, (h, socket) -> hellos.accept(h.text() + " from " + socket.id()));
            srv.start();
            try (NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
                client.awaitEvent("connect", T);
                client.command(NodePeer.emit("hello", Map.of("id", "bob-" + lib.arg(), "text", "hi")), T);
                hellos.awaitItem("hi from bob-" + lib.arg(), T);
                client.command(Map.of("cmd", "emitRepeat", "type", "numbered", "count", n, "dataPrefix", "m"), T);
                List<Numbered> all = got.await(n, T);
                for (int i = 0; i < n; i++) {
                    assertThat(all.get(i)).isEqualTo(new Numbered(i, "m" + i));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void broadcastReachesThreeNodeClients(Lib lib) throws Exception {
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<NodePeer> clients = new ArrayList<>();
        try (TempSockets tmp = TempSockets.create(); EchoServer srv = new EchoServer(tmp, profile)) {
            CountDownLatch connected = new CountDownLatch(3);
            srv.server.onConnect(s -> connected.countDown());
            srv.start();
            for (int i = 0; i < 3; i++) {
                clients.add(InteropCases.nodeClient(lib, srv.path));
            }
            for (NodePeer c : clients) {
                c.awaitEvent("connect", T);
            }
            assertThat(connected.await(T.toSeconds(), TimeUnit.SECONDS)).as("3 connects at jipc").isTrue();
            assertThat(srv.server.sockets()).hasSize(3);

            srv.server.broadcast("news", Map.of("text", "é😀", "n", List.of(1, 2.5)));
            srv.server.broadcast("news", null);
            for (NodePeer c : clients) {
                List<JsonNode> m = c.awaitMessages(2, T);
                assertThat(m).extracting(e -> e.path("type").asString()).containsExactly("news", "news");
                assertThat(m.get(0).path("data")).isEqualTo(InteropCases.parse("{\"text\":\"é😀\",\"n\":[1,2.5]}"));
                assertThat(m.get(1).path("repr").asString()).isEqualTo(profile == PayloadProfile.LEGACY ? "{}" : "null");
            }
        } finally {
            InteropCases.closeQuietly(clients.toArray(AutoCloseable[]::new));
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void socketDisconnectedCarriesTheIdTheClientAnnounced(Lib lib) throws Exception {
        Inbox<String> events = new Inbox<>();
        try (TempSockets tmp = TempSockets.create(); EchoServer srv = new EchoServer(tmp, InteropCases.profileOf(lib))) {
            srv.server.onSocketDisconnected((socket, id) -> events.accept("socket.disconnected " + id));
            srv.server.on("hello", (d, socket) -> events.accept("hello from " + socket.id()));
            srv.start();
            try (NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
                client.awaitEvent("connect", T);
                client.command(NodePeer.emit("hello", Map.of("id", "alice-" + lib.arg(), "text", "hi")), T);
                events.awaitItem("hello from alice-" + lib.arg(), T);
                client.command(Map.of("cmd", "disconnect"), T);
                events.awaitItem("socket.disconnected alice-" + lib.arg(), T);
                assertThat(events.snapshot()).containsExactly("hello from alice-" + lib.arg(),
                    "socket.disconnected alice-" + lib.arg());
                assertThat(srv.server.sockets()).isEmpty();
            }
        }
    }

    /** node-ipc lets a wire frame named like a lifecycle event fire it; jipc keeps the namespaces apart. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void wireTypesConnectAndErrorAreMessagesNotLifecycleEvents(Lib lib) throws Exception {
        Inbox<String> messages = new Inbox<>();
        AtomicInteger lifecycleConnects = new AtomicInteger();
        List<Throwable> lifecycleErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TempSockets tmp = TempSockets.create(); EchoServer srv = new EchoServer(tmp, InteropCases.profileOf(lib))) {
            srv.server.onConnect(s -> lifecycleConnects.incrementAndGet())
                .onError((e, s) -> lifecycleErrors.add(e))
                .on("connect", (d, s) -> messages.accept("connect " + d))
                .on("error", (d, s) -> messages.accept("error " + d))
                .on("done", (d, s) -> messages.accept("done"));
            srv.start();
            try (NodePeer client = InteropCases.nodeClient(lib, srv.path)) {
                client.awaitEvent("connect", T);
                ObjectNode fake = InteropCases.JSON.createObjectNode().put("message", "spoofed");
                client.command(NodePeer.emit("connect", fake), T);
                client.command(NodePeer.emit("error", fake), T);
                client.command(NodePeer.emit("connect", 7), T);
                client.command(NodePeer.emit("done", 1), T);
                messages.awaitItem("done", T);
                assertThat(messages.snapshot()).containsExactly("connect {\"message\":\"spoofed\"}",
                    "error {\"message\":\"spoofed\"}", "connect 7", "done");
                assertThat(lifecycleConnects.get()).as("lifecycle connect handler calls").isEqualTo(1);
                assertThat(lifecycleErrors).as("lifecycle error handler calls").isEmpty();
            }
        }
    }
}
