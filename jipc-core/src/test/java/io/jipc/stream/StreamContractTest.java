package io.jipc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcException;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server/client behaviour over real sockets, written once and run per transport: subclasses pick the
 * kind (Unix socket in a temp dir, TCP on loopback, TLS) and the channel flavour (native epoll or JDK NIO).
 */
@Timeout(60)
abstract class StreamContractTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    final List<Ipc> instances = new ArrayList<>();

    /** @return whether this run uses the native transport */
    abstract boolean preferNative();

    /** Adds what this transport needs to a configuration (e.g. TLS options). */
    IpcConfig.Builder configure(IpcConfig.Builder builder) {
        return builder;
    }

    /** Creates (not starts) the server for endpoint {@code name} on {@code ipc}. */
    abstract IpcServer serve(Ipc ipc, String name);

    /** Connects {@code ipc} to endpoint {@code name} as client {@code id}, running {@code setup} first. */
    abstract IpcClient connect(Ipc ipc, String id, String name, java.util.function.Consumer<IpcClient> setup);

    /** @return the transport name the instances must report */
    abstract String expectedTransport();

    @BeforeEach
    void checkTransport() {
        assumeAvailable();
        assertThat(ipc("probe").transport()).isEqualTo(expectedTransport());
    }

    /** Skips the test (JUnit assumption) where this run's transport cannot work here; runs before anything else. */
    void assumeAvailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(!preferNative() || io.netty.channel.epoll.Epoll.isAvailable(),
            "native epoll not available here");
    }

    @AfterEach
    void closeAll() {
        for (Ipc ipc : instances) {
            ipc.close();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".sock")).toList())
                .as("socket files left behind").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Ipc ipc(String id) {
        return ipc(IpcConfig.builder().id(id));
    }

    Ipc ipc(IpcConfig.Builder builder) {
        Ipc ipc = new Ipc(configure(builder).socketRoot(dir + "/").appspace("t.").silent(true).retry(50)
            .preferNativeTransport(preferNative()).build());
        instances.add(ipc);
        return ipc;
    }

    String path(String name) {
        return dir.resolve(name + ".sock").toString();
    }

    /** Checks what the endpoint leaves on disk (Unix: the socket file); nothing for network kinds. */
    void assertEndpointExists(String name, boolean exists) {
    }

    IpcClient connected(Ipc ipc, String id, String name) throws InterruptedException {
        CountDownLatch up = new CountDownLatch(1);
        IpcClient c = connect(ipc, id, name, cl -> cl.onConnect(up::countDown));
        assertThat(up.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("client connected").isTrue();
        return c;
    }

    @Test
    void clientEmitsAndServerRepliesToThatSocket() throws Exception {
        Ipc world = ipc("world");
        serve(world, "world").on("message", (data, socket) -> socket.emit("message", data.asString() + " world!"))
            .start();
        Recorder got = new Recorder();
        Ipc hello = ipc("hello");
        IpcClient client = connected(hello, "world", "world");
        client.on("message", data -> got.add(data.asString()));
        client.emit("message", "hello");
        got.awaitLine("hello world!", WAIT);
    }

    @Test
    void emitsFromSeveralThreadsArriveCompleteAndInOrderPerThread() throws Exception {
        // the outbox copies small frames into a shared chunk under a lock and queues large ones as they are:
        // every thread's emits must arrive, whole, in that thread's order, however they interleave
        int threads = 4;
        int perThread = 1500;
        Ipc server = ipc("many");
        int[] next = new int[threads];
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(threads * perThread);
        serve(server, "many").on("m", (d, sock) -> { // one connection: handlers run in order on its I/O thread
            int t = d.get("t").asInt();
            int i = d.get("i").asInt();
            if (next[t] != i || d.get("s").asString().length() != sizeOf(i)) {
                errors.add("thread " + t + ": got " + i + " (" + d.get("s").asString().length() + " chars), expected "
                    + next[t]);
            }
            next[t] = i + 1;
            all.countDown();
        }).start();
        IpcClient c = connected(ipc("many-c"), "many", "many");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int tt = t;
                pool.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        c.emit("m", java.util.Map.of("t", tt, "i", i, "s", "s".repeat(sizeOf(i))));
                    }
                });
            }
            assertThat(all.await(WAIT.toSeconds() * 3, TimeUnit.SECONDS)).as("all %d emits arrived",
                threads * perThread).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(errors).isEmpty();
        assertThat(next).containsOnly(perThread);
    }

    /** Mostly small payloads, every 50th one larger than the outbox copies (a frame of its own). */
    private static int sizeOf(int i) {
        return i % 50 == 0 ? 6000 : i % 7;
    }

    @Test
    void broadcastReachesEveryClient() throws Exception {
        Ipc server = ipc("hub");
        IpcServer s = serve(server, "hub").start();
        int n = 25;
        Recorder got = new Recorder();
        CountDownLatch allConnected = new CountDownLatch(n);
        s.onConnect(sock -> allConnected.countDown());
        Ipc clients = ipc("c");
        for (int i = 0; i < n; i++) {
            int k = i;
            connect(clients, "c" + i, "hub", null).on("news", d -> got.add(k + ":" + d.get("n").asInt()));
        }
        assertThat(allConnected.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(s.sockets()).hasSize(n);
        s.broadcast("news", java.util.Map.of("n", 7));
        got.awaitCount(n, WAIT);
        assertThat(got.lines()).hasSize(n).allMatch(l -> l.endsWith(":7"));
    }

    @Test
    void broadcastsOfSmallAndLargeFramesArriveWholeAndInOrder() throws Exception {
        // small frames are copied into each connection's outbox chunk, large ones shared: both must arrive intact
        Ipc server = ipc("hub2");
        IpcServer s = serve(server, "hub2").start();
        int n = 3;
        CountDownLatch allConnected = new CountDownLatch(n);
        s.onConnect(sock -> allConnected.countDown());
        Recorder got = new Recorder();
        String large = "L".repeat(20_000);
        Ipc clients = ipc("c2");
        for (int i = 0; i < n; i++) {
            int k = i;
            connect(clients, "d" + i, "hub2", null).on("news", d -> got.add(k + ":" + d.get("n").asInt() + ":"
                + d.get("s").asString().length()));
        }
        assertThat(allConnected.await(20, TimeUnit.SECONDS)).isTrue();
        int rounds = 40;
        for (int r = 0; r < rounds; r++) {
            s.broadcast("news", java.util.Map.of("n", r, "s", r % 3 == 0 ? large : "small"));
        }
        got.awaitCount(n * rounds, WAIT);
        for (int k = 0; k < n; k++) {
            String prefix = k + ":";
            List<String> mine = got.lines().stream().filter(l -> l.startsWith(prefix)).toList();
            List<String> expected = new java.util.ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                expected.add(prefix + r + ":" + (r % 3 == 0 ? large.length() : 5));
            }
            assertThat(mine).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void socketDisconnectedFiresWithTheAnnouncedId() throws Exception {
        Ipc server = ipc("srv");
        Recorder events = new Recorder();
        IpcServer s = serve(server, "srv")
            .on("hello", (d, sock) -> events.add("hello " + sock.id()))
            .onSocketDisconnected((sock, id) -> events.add("socket.disconnected " + id)).start();
        Ipc cl = ipc("alice");
        IpcClient c = connected(cl, "srv", "srv");
        c.emit("hello", java.util.Map.of("id", "alice"));
        events.awaitLine("hello alice", WAIT);
        cl.disconnect("srv").get(10, TimeUnit.SECONDS);
        events.awaitLine("socket.disconnected alice", WAIT);
        assertThat(cl.of("srv")).isNull();
        assertThat(s.sockets()).isEmpty();
    }

    @Test
    void serverStopClosesClientsAndRemovesTheSocketFile() throws Exception {
        Ipc server = ipc("srv");
        IpcServer s = serve(server, "srv").start();
        assertEndpointExists("srv", true);
        Recorder events = new Recorder();
        Ipc cl = ipc(IpcConfig.builder().id("c").maxRetries(0));
        IpcClient c = connected(cl, "srv", "srv");
        c.onDisconnect(() -> events.add("disconnect")).onDestroy(() -> events.add("destroy"));
        s.stop();
        events.awaitLine("destroy", WAIT);
        assertThat(events.lines()).containsExactly("disconnect", "destroy");
        assertEndpointExists("srv", false);
        assertThat(s.isListening()).isFalse();
    }

    @Test
    void hundredThousandPipelinedMessagesArriveCompleteAndInOrder() throws Exception {
        int n = 100_000;
        Ipc server = ipc("srv");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1);
        CountDownLatch back = new CountDownLatch(1);
        serve(server, "srv").on("m", (d, sock) -> {
            if (d.get("seq").asInt() != next.getAndIncrement()) {
                outOfOrder.incrementAndGet();
            }
            if (next.get() == n) {
                all.countDown();
                for (int i = 0; i < n; i++) {
                    sock.emit("r", i);
                }
            }
        }).start();
        AtomicInteger nextBack = new AtomicInteger();
        IpcClient c = connected(ipc("c"), "srv", "srv");
        c.on("r", d -> {
            if (d.asInt() != nextBack.getAndIncrement()) {
                outOfOrder.incrementAndGet();
            }
            if (nextBack.get() == n) {
                back.countDown();
            }
        });
        for (int i = 0; i < n; i++) {
            c.emit("m", java.util.Map.of("seq", i, "text", "message number " + i));
        }
        assertThat(all.await(40, TimeUnit.SECONDS)).as("all %d arrived at the server (got %d)", n, next.get()).isTrue();
        assertThat(back.await(40, TimeUnit.SECONDS)).as("all %d came back (got %d)", n, nextBack.get()).isTrue();
        assertThat(outOfOrder.get()).isZero();
    }

    @Test
    void wireLifecycleNamesAreOrdinaryMessages() throws Exception {
        Ipc server = ipc("srv");
        Recorder events = new Recorder();
        serve(server, "srv")
            .onConnect(sock -> events.add("lifecycle connect"))
            .onError((e, sock) -> events.add("lifecycle error"))
            .on("connect", (d, sock) -> events.add("message connect " + d))
            .on("error", (d, sock) -> events.add("message error " + d))
            .on("socket.disconnected", (d, sock) -> events.add("message socket.disconnected"))
            .onSocketDisconnected((sock, id) -> events.add("lifecycle socket.disconnected"))
            .start();
        IpcClient c = connected(ipc("c"), "srv", "srv");
        events.awaitLine("lifecycle connect", WAIT);
        c.emit("connect", 1);
        c.emit("error", 2);
        c.emit("socket.disconnected", 3);
        c.emit("done", 4);
        events.awaitLine("message socket.disconnected", WAIT);
        assertThat(events.lines()).containsExactly("lifecycle connect", "message connect 1", "message error 2",
            "message socket.disconnected");
    }

    @Test
    void throwingHandlerIsReportedAndTheConnectionCarriesOn() throws Exception {
        Ipc server = ipc("srv");
        Recorder events = new Recorder();
        serve(server, "srv")
            .on("boom", (d, s) -> {
                throw new IllegalStateException("handler failure");
            })
            .on("ok", (d, s) -> events.add("ok " + d))
            .onError((e, s) -> events.add("error " + e.getMessage()))
            .start();
        IpcClient c = connected(ipc("c"), "srv", "srv");
        c.emit("boom", 1);
        c.emit("ok", 2);
        events.awaitLine("ok 2", WAIT);
        assertThat(events.lines().get(0)).contains("\"boom\" handler threw").contains("handler failure");
    }

    record User(String name, int age) {
    }

    @Test
    void payloadsBindToRecordsAndBadPayloadsAreReported() throws Exception {
        Ipc server = ipc("srv");
        Recorder events = new Recorder();
        serve(server, "srv")
            .on("user", User.class, (u, s) -> {
                events.add("user " + u);
                s.emit("user", new User(u.name().toUpperCase(java.util.Locale.ROOT), u.age() + 1));
            })
            .onError((e, s) -> events.add("error " + e.getClass().getSimpleName()))
            .start();
        IpcClient c = connected(ipc("c"), "srv", "srv");
        c.on("user", User.class, u -> events.add("back " + u));
        c.emit("user", java.util.Map.of("name", "ada", "age", "not a number"));
        c.emit("user", new User("ada", 36));
        events.awaitLine("back User[name=ADA, age=37]", WAIT);
        assertThat(events.lines()).startsWith("error IpcProtocolException", "user User[name=ada, age=36]");
    }

    record Pet(String name, int age) {
    }

    @Test
    void eachHandlerGetsThePayloadInItsOwnFormWhateverTheOthersOfItsTypeTake() throws Exception {
        Ipc server = ipc("srv");
        Recorder events = new Recorder();
        serve(server, "srv")
            .on("typed", User.class, (u, s) -> events.add("typed " + u))    // typed only: read straight into User
            .on("typed", User.class, (u, s) -> {
                events.add("typed again " + u.age());
                throw new IllegalStateException("second typed handler");
            })
            .on("mixed", User.class, (u, s) -> events.add("mixed record " + u))
            .on("mixed", (d, s) -> events.add("mixed tree " + d))
            .on("two", User.class, (u, s) -> events.add("two user " + u))
            .on("two", Pet.class, (p, s) -> events.add("two pet " + p))
            .on("last", (d, s) -> events.add("last"))
            .onError((e, s) -> events.add("error " + e.getMessage()))
            .start();
        IpcClient c = connected(ipc("c"), "srv", "srv");
        c.emit("typed", new User("ada", 36));
        c.emit("typed", java.util.Map.of("name", "bob", "age", 7, "extra", true)); // not a User as it is: Jackson binds it
        c.emit("mixed", new User("cy", 1));
        c.emit("two", new User("di", 2));
        c.emit("last", 0);
        events.awaitLine("last", WAIT);
        String threw = "error \"typed\" handler threw: java.lang.IllegalStateException: second typed handler";
        assertThat(events.lines()).containsExactly(
            "typed User[name=ada, age=36]", "typed again 36", threw,
            "typed User[name=bob, age=7]", "typed again 7", threw,
            "mixed record User[name=cy, age=1]", "mixed tree {\"name\":\"cy\",\"age\":1}",
            "two user User[name=di, age=2]", "two pet Pet[name=di, age=2]", "last");
    }

    @Test
    void clientStartedBeforeTheServerRetriesAndSendsWhatWasQueued() throws Exception {
        Recorder events = new Recorder();
        Ipc cl = ipc("c");
        IpcClient c = connect(cl, "late", "late",
            cl2 -> cl2.onError(e -> events.add("client error")).onConnect(() -> events.add("client connect")));
        c.emit("early", "queued before connect");
        events.awaitLine("client error", WAIT);
        Ipc server = ipc("late");
        serve(server, "late").on("early", (d, s) -> events.add("server got " + d.asString())).start();
        events.awaitLine("server got queued before connect", WAIT);
        assertThat(events.lines()).contains("client connect");
    }

    @Test
    void maxRetriesBoundsAttemptsWithNodeIpcEventOrder() throws Exception {
        Recorder events = new Recorder();
        Ipc cl = ipc(IpcConfig.builder().id("c").maxRetries(2));
        connect(cl, "nobody", "nobody", c -> c.onError(e -> events.add("error"))
            .onDisconnect(() -> events.add("disconnect")).onDestroy(() -> events.add("destroy")));
        events.awaitLine("destroy", WAIT);
        // 1 + maxRetries attempts, each an error then a disconnect; then destroy (node-ipc's order)
        assertThat(events.lines())
            .containsExactly("error", "disconnect", "error", "disconnect", "error", "disconnect", "destroy");
    }

    @Test
    void maxConnectionsClosesTheExcess() throws Exception {
        Ipc server = ipc(IpcConfig.builder().id("srv").maxConnections(1));
        AtomicInteger connects = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        serve(server, "srv").onConnect(s -> {
            connects.incrementAndGet();
            first.countDown();
        }).start();
        connected(ipc("a"), "srv", "srv");
        assertThat(first.await(20, TimeUnit.SECONDS)).isTrue();
        Recorder events = new Recorder();
        Ipc b = ipc(IpcConfig.builder().id("b").maxRetries(0));
        connect(b, "srv", "srv", second -> second.onDestroy(() -> events.add("destroy")));
        events.awaitLine("destroy", WAIT);
        assertThat(connects.get()).isEqualTo(1);
        assertThat(server.server().sockets()).hasSize(1);
    }

    /** A client that connected and then disconnected, and the server's socket for it once the server saw it go. */
    record Gone(Ipc server, IpcClient client, IpcSocket socket) {
    }

    Gone connectedThenGone() throws Exception {
        Ipc server = ipc("srv");
        List<IpcSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch gone = new CountDownLatch(1);
        serve(server, "srv").onConnect(sockets::add).onSocketDisconnected((s, id) -> gone.countDown()).start();
        Ipc cl = ipc("c");
        IpcClient client = connected(cl, "srv", "srv");
        cl.disconnect("srv").get(10, TimeUnit.SECONDS);
        assertThat(gone.await(20, TimeUnit.SECONDS)).isTrue();
        return new Gone(server, client, sockets.get(0));
    }

    @Test
    void emitToAClosedSocketFailsTheReturnedStage() throws Exception {
        Gone g = connectedThenGone();
        var stage = g.server().server().emit(g.socket(), "late", 1).toCompletableFuture();
        assertThatThrownBy(() -> stage.get(10, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
    }

    @Test
    void offersKeepTheirOrderAmongEmitsBothWays() throws Exception {
        Ipc server = ipc("srv");
        Recorder atServer = new Recorder();
        Recorder atClient = new Recorder();
        serve(server, "srv").on("n", (d, sock) -> {
            atServer.add(d.asString());
            if (d.asString().equals("299")) {
                for (int i = 0; i < 300; i++) {
                    String n = String.valueOf(i);
                    boolean taken = i % 3 == 0 ? sock.offer("n", n) : sock.emit("n", n) != null;
                    atServer.add(taken ? "sent" : "refused " + n);
                }
            }
        }).start();
        IpcClient client = connected(ipc("c"), "srv", "srv");
        client.on("n", d -> atClient.add(d.asString()));
        for (int i = 0; i < 300; i++) {
            String n = String.valueOf(i);
            if (i % 2 == 0) {
                assertThat(client.offer("n", n)).as("offer %s", n).isTrue();
            } else {
                client.emit("n", n);
            }
        }
        List<String> got = atClient.awaitCount(300, WAIT);
        assertThat(got).as("the server's offers and emits, in order")
            .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300).mapToObj(String::valueOf).toList());
        assertThat(atServer.lines().subList(0, 300)).as("the client's offers and emits, in order")
            .containsExactlyElementsOf(got);
        assertThat(atServer.lines()).doesNotContain("refused");
    }

    @Test
    void offerIsRefusedOnceTheClientOrTheSocketIsGone() throws Exception {
        Gone g = connectedThenGone();
        assertThat(g.client().offer("late", 1)).as("offer on a stopped client").isFalse();
        assertThat(g.socket().offer("late", 1)).as("offer to a closed socket").isFalse();
    }

    @Test
    void executeRunsOnTheHandlersThreadAndItsBurstArrivesInOrder() throws Exception {
        Ipc server = ipc("srv");
        Recorder atServer = new Recorder();
        java.util.concurrent.atomic.AtomicReference<Thread> socketHandlerThread = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.CompletableFuture<Thread> socketTaskThread = new java.util.concurrent.CompletableFuture<>();
        serve(server, "srv").on("n", (d, sock) -> {
            atServer.add(d.asString());
            socketHandlerThread.set(Thread.currentThread());
            if (d.asString().equals("499")) {
                sock.execute(() -> {
                    socketTaskThread.complete(Thread.currentThread());
                    for (int i = 0; i < 500; i++) {
                        sock.emit("back", i);
                    }
                });
            }
        }).start();
        Recorder atClient = new Recorder();
        java.util.concurrent.atomic.AtomicReference<Thread> clientHandlerThread = new java.util.concurrent.atomic.AtomicReference<>();
        IpcClient client = connected(ipc("c"), "srv", "srv");
        client.on("back", d -> {
            clientHandlerThread.set(Thread.currentThread());
            atClient.add(d.asString());
        });
        java.util.concurrent.CompletableFuture<Thread> clientTaskThread = new java.util.concurrent.CompletableFuture<>();
        client.execute(() -> {
            clientTaskThread.complete(Thread.currentThread());
            for (int i = 0; i < 500; i++) {
                assertThat(client.offer("n", String.valueOf(i))).isTrue();
            }
        });
        List<String> back = atClient.awaitCount(500, WAIT);
        assertThat(atServer.lines()).containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 500).mapToObj(String::valueOf).toList());
        assertThat(back).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 500).mapToObj(String::valueOf).toList());
        assertThat(clientTaskThread.get(10, TimeUnit.SECONDS)).as("the client's task runs on its handlers' thread")
            .isSameAs(clientHandlerThread.get());
        assertThat(socketTaskThread.get(10, TimeUnit.SECONDS)).as("the socket's task runs on its handlers' thread")
            .isSameAs(socketHandlerThread.get());
    }

    @Test
    void aThrowingTaskIsReportedAndTheNextOneStillRuns() throws Exception {
        Ipc server = ipc("srv");
        Recorder serverErrors = new Recorder();
        List<IpcSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch up = new CountDownLatch(1);
        serve(server, "srv").onConnect(s -> {
            sockets.add(s);
            up.countDown();
        }).onError((e, s) -> serverErrors.add(e.getMessage())).start();
        Recorder clientEvents = new Recorder();
        CountDownLatch clientUp = new CountDownLatch(1);
        IpcClient client = connect(ipc("c"), "srv", "srv",
            c -> c.onError(e -> clientEvents.add(e.getMessage())).onConnect(clientUp::countDown));
        assertThat(up.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(clientUp.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        client.execute(() -> {
            throw new IllegalStateException("boom in a client task");
        });
        client.execute(() -> clientEvents.add("after"));
        clientEvents.await(l -> l.contains("after") && l.stream().anyMatch(x -> x.contains("boom in a client task")),
            WAIT, "the error and the next task");
        sockets.get(0).execute(() -> {
            throw new IllegalStateException("boom in a socket task");
        });
        sockets.get(0).execute(() -> serverErrors.add("after"));
        serverErrors.await(l -> l.contains("after") && l.stream().anyMatch(x -> x.contains("boom in a socket task")),
            WAIT, "the error and the next task");
        assertThat(client.isConnected()).isTrue();
        assertThat(sockets.get(0).isOpen()).isTrue();
    }

    @Test
    void scheduleRunsATaskLaterOnTheHandlersThreadUnlessCancelled() throws Exception {
        Ipc server = ipc("srv");
        List<IpcSocket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Thread> socketHandlerThread = new java.util.concurrent.CompletableFuture<>();
        serve(server, "srv").onConnect(sockets::add)
            .on("ping", (d, sock) -> socketHandlerThread.complete(Thread.currentThread())).start();
        java.util.concurrent.CompletableFuture<Thread> clientHandlerThread = new java.util.concurrent.CompletableFuture<>();
        IpcClient client = connected(ipc("c"), "srv", "srv");
        client.on("pong", d -> clientHandlerThread.complete(Thread.currentThread()));
        client.emit("ping", 1);
        Thread serverLoop = socketHandlerThread.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        sockets.get(0).emit("pong", 1);
        Thread clientLoop = clientHandlerThread.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        java.util.concurrent.CompletableFuture<Thread> ranOn = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean cancelledRan = new java.util.concurrent.atomic.AtomicBoolean();
        long t0 = System.nanoTime();
        client.schedule(() -> ranOn.complete(Thread.currentThread()), 50, TimeUnit.MILLISECONDS);
        var cancelled = client.schedule(() -> cancelledRan.set(true), 20, TimeUnit.MILLISECONDS);
        assertThat(cancelled.cancel(false)).isTrue();
        assertThat(ranOn.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isSameAs(clientLoop);
        assertThat(System.nanoTime() - t0).as("not before the delay").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));

        java.util.concurrent.CompletableFuture<Thread> socketRanOn = new java.util.concurrent.CompletableFuture<>();
        sockets.get(0).schedule(() -> socketRanOn.complete(Thread.currentThread()), 10, TimeUnit.MILLISECONDS);
        assertThat(socketRanOn.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isSameAs(serverLoop);
        // the cancelled task was due before both of those ran: had it not been cancelled it would have run by now
        assertThat(cancelledRan).isFalse();
    }

    /**
     * Small and large frames emitted in one burst share a drain: the small ones go out of the connection's chunk
     * (the chunk itself or slices of it) between the large ones. Every payload must arrive exactly, on every
     * transport (TLS coalesces the buffers it is handed before it encrypts them).
     */
    @Test
    void aBurstMixingSmallAndLargeFramesArrivesExactly() throws Exception {
        Ipc server = ipc("srv");
        Recorder atServer = new Recorder();
        serve(server, "srv").on("m", (d, sock) -> atServer.add(d.asString())).start();
        IpcClient client = connected(ipc("c"), "srv", "srv");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(i % 3 == 1 ? String.valueOf((char) ('a' + i % 26)).repeat(i % 2 == 0 ? 5_000 + i : 20_000 + i) : "small-" + i);
        }
        for (int round = 0; round < 2; round++) {
            client.execute(() -> {
                for (String m : sent) {
                    client.emit("m", m);
                }
            });
        }
        List<String> got = atServer.awaitCount(600, WAIT);
        List<String> expected = new ArrayList<>(sent);
        expected.addAll(sent);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(got.get(i)).as("message %d", i).isEqualTo(expected.get(i));
        }
    }

    /** The same burst the other way: a server's emits to one socket, from its handler (the I/O thread). */
    @Test
    void aServerBurstMixingSmallAndLargeFramesArrivesExactly() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sent.add(i % 3 == 1 ? String.valueOf((char) ('a' + i % 26)).repeat(i % 2 == 0 ? 5_000 + i : 20_000 + i) : "small-" + i);
        }
        Ipc server = ipc("srv");
        serve(server, "srv").on("go", (d, sock) -> {
            for (String m : sent) {
                sock.emit("m", m);
            }
        }).start();
        Recorder atClient = new Recorder();
        IpcClient client = connected(ipc("c"), "srv", "srv");
        client.on("m", d -> atClient.add(d.asString()));
        client.emit("go");
        client.emit("go");
        List<String> got = atClient.awaitCount(600, WAIT);
        List<String> expected = new ArrayList<>(sent);
        expected.addAll(sent);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(got.get(i)).as("message %d", i).isEqualTo(expected.get(i));
        }
    }
}
