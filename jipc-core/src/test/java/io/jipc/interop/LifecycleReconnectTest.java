package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TempSockets;
import tools.jackson.databind.JsonNode;

/**
 * Client lifecycle against real node-ipc servers that die (SIGKILL: the socket file stays, so every
 * attempt is refused at once) and come back: a jipc client must publish exactly the lifecycle events a
 * node-ipc client of the same lib publishes in the same scenario (research §3.3), observed through
 * {@code peer.js} (the reference run) and through jipc's handlers.
 *
 * <p>Observed with all three pinned libs ({@code retry=100, maxRetries=2}, server killed for good):
 * {@code connect, disconnect, error(ECONNREFUSED), disconnect, error(ECONNREFUSED), disconnect, destroy}
 * — after a drop node-ipc makes exactly {@code maxRetries} reconnect attempts, each {@code retry} ms after
 * the previous close, each failing with {@code error} then {@code disconnect}; the last close adds
 * {@code destroy}. A successful reconnect resets the counter (a second outage gets {@code maxRetries}
 * attempts again).
 *
 * <p>{@link NodeServerJipcClientTest} covers delivery across a restart; these tests pin the event
 * sequence and the retry counter.
 */
@Timeout(60)
class LifecycleReconnectTest {

    private static final int RETRY_MS = 100;
    private static final int MAX_RETRIES = 2;
    /** The "restart" test renames a socket file between two attempts: a wider window than 100 ms. */
    private static final int RESTART_RETRY_MS = 250;
    /** How long to keep watching after {@code destroy} for (wrong) further events. */
    private static final Duration QUIET = Duration.ofMillis(2 * RESTART_RETRY_MS);

    private static final Set<String> LIFECYCLE = Set.of("connect", "disconnect", "error", "destroy");

    private static final List<String> DIES_FOR_GOOD = List.of(
        "connect",
        "disconnect",            // the drop; attempt 1 scheduled
        "error", "disconnect",   // attempt 1 refused; attempt 2 scheduled
        "error", "disconnect",   // attempt 2 refused; no retries left
        "destroy");

    private static final List<String> COMES_BACK_THEN_DIES = List.of(
        "connect",
        "disconnect",            // outage 1
        "error", "disconnect",   // attempt 1 refused (1 retry left)
        "connect",               // attempt 2 reaches the new server: counter reset to maxRetries
        "disconnect",            // outage 2: again maxRetries attempts
        "error", "disconnect",
        "error", "disconnect",
        "destroy");

    /** One lifecycle event: name, ms since the recorder started, detail (error message). */
    record Ev(String name, double ms, String detail) {
    }

    // ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Lib.class)
    void serverKilledForGoodGivesNodeIpcsExactSequence(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create()) {
            // reference: node-ipc's own client of this lib
            List<Ev> node;
            Path p1 = tmp.newSocket();
            try (NodePeer server = nodeServer(lib, p1);
                    NodePeer client = InteropCases.nodeClient(lib, p1, "--retry=" + RETRY_MS,
                        "--max-retries=" + MAX_RETRIES, "--timestamps")) {
                client.awaitEvent("connect", T);
                server.awaitEvent("connect", T);
                kill(server);
                client.awaitEvent("destroy", T);
                Thread.sleep(QUIET.toMillis());
                node = lifecycle(client);
            }

            // jipc against a node server of the same lib
            List<Ev> jipc;
            Path p2 = tmp.newSocket();
            Recorder rec = new Recorder();
            try (NodePeer server = nodeServer(lib, p2);
                    Ipc ipc = jipc(lib, tmp, RETRY_MS)) {
                ipc.connectTo("peer", p2.toString(), rec::attach);
                rec.await("connect", 1, T);
                server.awaitEvent("connect", T);
                kill(server);
                rec.await("destroy", 1, T);
                Thread.sleep(QUIET.toMillis());
                jipc = rec.events();
                assertThat(ipc.of("peer") == null || ipc.of("peer").isDestroyed()).as("client destroyed").isTrue();
            }

            System.err.printf("[LifecycleReconnectTest] %s dies for good%n  node-ipc: %s%n  jipc:     %s%n", lib, node, jipc);
            assertThat(names(node)).as("node-ipc %s client's own sequence", lib).isEqualTo(DIES_FOR_GOOD);
            assertThat(names(jipc)).as("jipc client's sequence vs node-ipc %s's", lib).isEqualTo(names(node));
            assertThat(node.stream().filter(e -> e.name.equals("error")).map(Ev::detail).toList())
                .as("node-ipc errors").allMatch(d -> d.contains("ECONNREFUSED"));
            assertThat(jipc.stream().filter(e -> e.name.equals("error")).map(Ev::detail).toList())
                .as("jipc errors (a java.net.ConnectException)").allMatch(d -> d.contains("Connection refused"));
            assertAttemptsSpaced(node, RETRY_MS, "node-ipc " + lib);
            assertAttemptsSpaced(jipc, RETRY_MS, "jipc");
        }
    }

    /**
     * Outage 1: the server is killed; after the first refused attempt a new node-ipc server of the lib
     * appears at the path, so attempt 2 connects and the counter resets; outage 2 (killed for good) must
     * again allow {@code maxRetries} attempts. The new server is started beforehand on another path and
     * its socket file is renamed over the dead one between two attempts (a rename is atomic and
     * instant, where starting node takes a variable few hundred ms).
     */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void serverBackWithinTheRetryWindowResetsTheRetryCounter(Lib lib) throws Exception {
        try (TempSockets tmp = TempSockets.create()) {
            List<Ev> node;
            {
                Path path = tmp.newSocket();
                Path spare = tmp.newSocket();
                try (NodePeer first = NodePeer.server(lib, Transport.UNIX, path.toString(), "--echo");
                        NodePeer second = NodePeer.server(lib, Transport.UNIX, spare.toString(), "--echo");
                        // both start concurrently; these wait for "ready" (same objects: closing twice is a no-op)
                        NodePeer firstReady = InteropCases.started(first, "ready");
                        NodePeer secondReady = InteropCases.started(second, "ready");
                        NodePeer client = InteropCases.nodeClient(lib, path, "--retry=" + RESTART_RETRY_MS,
                            "--max-retries=" + MAX_RETRIES, "--timestamps")) {
                    client.awaitEvent("connect", T);
                    first.awaitEvent("connect", T);
                    kill(first);
                    client.awaitEvent("error", T);
                    Files.move(spare, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    client.awaitEvent("connect", T);
                    second.awaitEvent("connect", T);
                    kill(second);
                    client.awaitEvent("destroy", T);
                    Thread.sleep(QUIET.toMillis());
                    node = lifecycle(client);
                }
            }

            List<Ev> jipc;
            {
                Path path = tmp.newSocket();
                Path spare = tmp.newSocket();
                Recorder rec = new Recorder();
                try (NodePeer first = NodePeer.server(lib, Transport.UNIX, path.toString(), "--echo");
                        NodePeer second = NodePeer.server(lib, Transport.UNIX, spare.toString(), "--echo");
                        // both start concurrently; these wait for "ready" (same objects: closing twice is a no-op)
                        NodePeer firstReady = InteropCases.started(first, "ready");
                        NodePeer secondReady = InteropCases.started(second, "ready");
                        Ipc ipc = jipc(lib, tmp, RESTART_RETRY_MS)) {
                    IpcClient c = ipc.connectTo("peer", path.toString(), rec::attach);
                    rec.await("connect", 1, T);
                    first.awaitEvent("connect", T);
                    kill(first);
                    rec.await("error", 1, T);
                    Files.move(spare, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    rec.await("connect", 2, T);
                    second.awaitEvent("connect", T);
                    // still usable after the reconnect
                    c.emit("message", Map.of("after", "reconnect"));
                    assertThat(second.awaitMessages(1, T).get(0).path("repr").asString()).isEqualTo("{\"after\":\"reconnect\"}");
                    kill(second);
                    rec.await("destroy", 1, T);
                    Thread.sleep(QUIET.toMillis());
                    jipc = rec.events();
                }
            }

            System.err.printf("[LifecycleReconnectTest] %s back within the window%n  node-ipc: %s%n  jipc:     %s%n", lib, node, jipc);
            assertThat(names(node)).as("node-ipc %s client's own sequence", lib).isEqualTo(COMES_BACK_THEN_DIES);
            assertThat(names(jipc)).as("jipc client's sequence vs node-ipc %s's", lib).isEqualTo(names(node));
            assertAttemptsSpaced(node, RESTART_RETRY_MS, "node-ipc " + lib);
            assertAttemptsSpaced(jipc, RESTART_RETRY_MS, "jipc");
        }
    }

    // ----------------------------------------------------------------------------------------------

    private static NodePeer nodeServer(Lib lib, Path path) {
        return InteropCases.started(NodePeer.server(lib, Transport.UNIX, path.toString(), "--echo"), "ready");
    }

    private static Ipc jipc(Lib lib, TempSockets tmp, int retryMs) {
        return new Ipc(IpcConfig.builder(InteropCases.profileOf(lib)).id("cli").socketRoot(tmp.dir() + "/")
            .silent(true).retry(retryMs).maxRetries(MAX_RETRIES).build());
    }

    /** SIGKILL: the kernel closes the sockets, node-ipc cleans up nothing, the socket file stays behind. */
    private static void kill(NodePeer peer) {
        ProcessHandle.of(peer.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    /** The node client's lifecycle events as reported by peer.js (with its {@code t}). */
    private static List<Ev> lifecycle(NodePeer client) {
        List<Ev> out = new ArrayList<>();
        for (JsonNode e : client.history()) {
            String name = e.path("event").asString("");
            if (LIFECYCLE.contains(name)) {
                out.add(new Ev(name, e.path("t").asDouble(), name.equals("error")
                    ? e.path("code").asString("") + " " + e.path("message").asString("") : ""));
            }
        }
        return out;
    }

    private static List<String> names(List<Ev> evs) {
        return evs.stream().map(Ev::name).toList();
    }

    /**
     * Every refused attempt ({@code error}) comes at least ~{@code retry} after the close before it
     * (node-ipc schedules the attempt with {@code setTimeout(retry)} on close; no backoff).
     */
    private static void assertAttemptsSpaced(List<Ev> evs, int retryMs, String who) {
        for (int i = 1; i < evs.size(); i++) {
            if (evs.get(i).name.equals("error") && evs.get(i - 1).name.equals("disconnect")) {
                assertThat(evs.get(i).ms - evs.get(i - 1).ms).as("%s: attempt delay before event %d in %s", who, i, evs)
                    .isGreaterThanOrEqualTo(retryMs * 0.9);
            }
        }
    }

    /** jipc lifecycle handlers → timed events. */
    static final class Recorder {
        private final long t0 = System.nanoTime();
        private final List<Ev> events = new ArrayList<>();

        void attach(IpcClient c) {
            c.onConnect(() -> add("connect", ""))
                .onDisconnect(() -> add("disconnect", ""))
                .onError(e -> add("error", String.valueOf(e)))
                .onDestroy(() -> add("destroy", ""));
        }

        synchronized void add(String name, String detail) {
            events.add(new Ev(name, (System.nanoTime() - t0) / 1e6, detail));
            notifyAll();
        }

        synchronized List<Ev> events() {
            return new ArrayList<>(events);
        }

        /** Waits until {@code name} was seen {@code count} times. */
        synchronized void await(String name, int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (events.stream().filter(e -> e.name.equals(name)).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("jipc client: " + name + " x" + count + " not seen within " + timeout + "; events " + events);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
