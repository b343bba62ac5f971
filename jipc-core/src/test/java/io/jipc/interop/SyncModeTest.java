package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.interop.InteropCases.Inbox;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;

/**
 * {@code sync} mode (research §1.7) against real node-ipc peers. sync is purely client-side: the client
 * writes one message, then waits until it receives anything from the server before writing the next.
 *
 * <p>The node server here echoes each message {@code REPLY_DELAY_MS} after it arrived
 * ({@code peer.js --echo --reply-delay}) and reports the write as a {@code replied} event; peer.js
 * prints events in the order node handles them, so "the server never saw a new message before it
 * replied to the previous one" is: the server's {@code message}/{@code replied} events strictly
 * alternate. The same shape is asserted for node-ipc's own sync client, and the opposite (all messages
 * before the first reply) for clients without sync, so the check is known to discriminate.
 */
@Timeout(60)
class SyncModeTest {

    private static final int N = 5;
    private static final int REPLY_DELAY_MS = 100;

    private static JsonNode msg(int i) {
        return InteropCases.JSON.createObjectNode().put("seq", i).put("text", "m" + i);
    }

    private static String repr(int i) {
        return "{\"seq\":" + i + ",\"text\":\"m" + i + "\"}";
    }

    /** {@code message,replied} x N, in seq order. */
    private static List<String> alternating() {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            l.add("message " + repr(i));
            l.add("replied " + repr(i));
        }
        return l;
    }

    /** {@code message} x N then {@code replied} x N. */
    private static List<String> allThenReplies() {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            l.add("message " + repr(i));
        }
        for (int i = 0; i < N; i++) {
            l.add("replied " + repr(i));
        }
        return l;
    }

    /** The server's message/replied events for accepted socket {@code k}, as "event repr". */
    private static List<JsonNode> serverEvents(NodePeer server, int socket) {
        return server.history().stream()
            .filter(e -> e.path("socket").asInt(-1) == socket)
            .filter(e -> List.of("message", "replied").contains(e.path("event").asString("")))
            .toList();
    }

    private static List<String> shape(List<JsonNode> evs) {
        return evs.stream().map(e -> e.path("event").asString() + " " + e.path("repr").asString()).toList();
    }

    /** Waits for {@code n} replied events of {@code socket}. */
    private static void awaitReplies(NodePeer server, int socket, int n) {
        for (int i = 0; i < n; i++) {
            server.awaitEvent("replied", e -> e.path("socket").asInt(-1) == socket, T);
        }
    }

    // ----------------------------------------------------------------------------------------------

    /**
     * jipc client with {@code sync(true)}, 5 emits made before it connects (in the setup callback,
     * which runs before the first attempt), node-ipc server replying late.
     */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void jipcSyncClientWaitsForEachReplyOfALateNodeServer(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create();
                NodePeer server = InteropCases.started(NodePeer.server(lib, Transport.UNIX, tmp.newSocket().toString(),
                    "--echo", "--reply-delay=" + REPLY_DELAY_MS, "--timestamps"), "ready")) {

            // socket 0: jipc, sync
            Inbox<JsonNode> got = new Inbox<>();
            try (Ipc ipc = jipc(lib, tmp, true)) {
                ipc.connectTo("peer", server.endpoint(), c -> {
                    c.on("seq", got::accept);
                    for (int i = 0; i < N; i++) {
                        c.emit("seq", msg(i));
                    }
                });
                List<JsonNode> back = got.await(N, T);
                for (int i = 0; i < N; i++) {
                    assertThat(back.get(i)).as("echo %d at jipc", i).isEqualTo(InteropCases.parse(repr(i)));
                }
                awaitReplies(server, 0, N);
                server.barrier(T);
                assertThat(got.snapshot()).as("exactly %d replies", N).hasSize(N);
            }
            List<JsonNode> sync = serverEvents(server, 0);
            assertThat(shape(sync)).as("%s server: jipc sync client, one message in flight", lib).isEqualTo(alternating());
            for (int i = 1; i < N; i++) {
                double sent = sync.get(2 * i).path("t").asDouble();
                double prevReply = sync.get(2 * i - 1).path("t").asDouble();
                double prevMsg = sync.get(2 * i - 2).path("t").asDouble();
                assertThat(sent).as("message %d after reply %d", i, i - 1).isGreaterThanOrEqualTo(prevReply);
                assertThat(sent - prevMsg).as("gap before message %d", i).isGreaterThanOrEqualTo(REPLY_DELAY_MS * 0.9);
            }

            // socket 1: node-ipc's own sync client of the same lib: same shape
            try (NodePeer client = InteropCases.nodeClient(lib, Path.of(server.endpoint()), "--sync")) {
                client.awaitEvent("connect", T);
                client.command(Map.of("cmd", "emitRepeat", "type", "seq", "count", N), T);
                assertThat(InteropCases.reprs(client, N)).isEqualTo(List.of(repr(0), repr(1), repr(2), repr(3), repr(4)));
                awaitReplies(server, 1, N);
            }
            assertThat(shape(serverEvents(server, 1))).as("%s server: node-ipc %s sync client", lib, lib).isEqualTo(alternating());

            // socket 2: jipc without sync: all 5 are on the wire at once (the check discriminates)
            Inbox<JsonNode> got2 = new Inbox<>();
            try (Ipc ipc = jipc(lib, tmp, false)) {
                ipc.connectTo("peer", server.endpoint(), c -> {
                    c.on("seq", got2::accept);
                    for (int i = 0; i < N; i++) {
                        c.emit("seq", msg(i));
                    }
                });
                got2.await(N, T);
                awaitReplies(server, 2, N);
            }
            assertThat(shape(serverEvents(server, 2))).as("%s server: jipc client without sync", lib).isEqualTo(allThenReplies());
        }
    }

    /**
     * node-ipc sync client ({@code peer.js --sync}) → jipc server that echoes each message
     * {@code REPLY_DELAY_MS} later: jipc sees every message in order and never a second one while a
     * reply is pending. Without {@code --sync} the same client has all of them in flight at once.
     */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void nodeSyncClientSendsOneAtATimeToAJipcServer(Lib lib) throws Exception {
        ScheduledExecutorService replies = Executors.newSingleThreadScheduledExecutor();
        try (TempSockets tmp = TempSockets.create(); Ipc ipc = jipc(lib, tmp, false)) {
            Path path = tmp.newSocket();
            IpcServer server = ipc.serve(path.toString());
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger maxInFlight = new AtomicInteger();
            Inbox<JsonNode> got = new Inbox<>();
            server.on("seq", (data, socket) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                got.accept(data);
                replies.schedule(() -> {
                    inFlight.decrementAndGet(); // before the write: the client may answer at once
                    socket.emit("seq", data);
                }, REPLY_DELAY_MS, TimeUnit.MILLISECONDS);
            });
            server.start();

            for (boolean sync : new boolean[] {true, false}) {
                int base = got.snapshot().size();
                maxInFlight.set(0);
                try (NodePeer client = sync ? InteropCases.nodeClient(lib, path, "--sync") : InteropCases.nodeClient(lib, path)) {
                    client.awaitEvent("connect", T);
                    client.command(Map.of("cmd", "emitRepeat", "type", "seq", "count", N), T);
                    assertThat(InteropCases.reprs(client, N)).as("%s client got every echo in order", lib)
                        .isEqualTo(List.of(repr(0), repr(1), repr(2), repr(3), repr(4)));
                    List<JsonNode> atJipc = got.await(base + N, T).subList(base, base + N);
                    for (int i = 0; i < N; i++) {
                        assertThat(atJipc.get(i)).as("message %d at jipc", i).isEqualTo(InteropCases.parse(repr(i)));
                    }
                }
                if (sync) {
                    assertThat(maxInFlight.get()).as("node-ipc %s --sync: messages in flight at once", lib).isEqualTo(1);
                } else {
                    assertThat(maxInFlight.get()).as("node-ipc %s without sync: messages in flight at once", lib).isGreaterThan(1);
                }
            }
        } finally {
            replies.shutdownNow();
        }
    }

    private static Ipc jipc(Lib lib, TempSockets tmp, boolean sync) {
        return new Ipc(IpcConfig.builder(InteropCases.profileOf(lib)).id(sync ? "sync" : "nosync")
            .socketRoot(tmp.dir() + "/").silent(true).retry(100).sync(sync).build());
    }
}
