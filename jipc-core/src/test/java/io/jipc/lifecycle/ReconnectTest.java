package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** node-ipc's reconnect semantics against a jipc server that stops and starts again (research §3.3). */
@Timeout(60)
class ReconnectTest extends LifecycleTestBase {
    @Test
    void afterADropOnePlusMaxRetriesAttemptsThenDestroy() throws Exception {
        IpcServer server = fx.ipc("srv", b -> b).serve(fx.path("srv")).start();
        Recorder ev = new Recorder();
        fx.ipc("c", b -> b.retry(50).maxRetries(2)).connectTo("srv", fx.path("srv"), c -> c
            .onConnect(() -> ev.add("connect")).onDisconnect(() -> ev.add("disconnect"))
            .onError(e -> ev.add("error")).onDestroy(() -> ev.add("destroy")));
        ev.awaitLine("connect", WAIT);
        server.stop();
        ev.awaitLine("destroy", WAIT);
        assertThat(ev.lines()).containsExactly("connect", "disconnect", "error", "disconnect", "error", "disconnect",
            "destroy");
    }

    @Test
    void retryCounterResetsOnEveryConnect() throws Exception {
        Ipc srvIpc = fx.ipc("srv", b -> b);
        IpcServer server = srvIpc.serve(fx.path("srv")).start();
        Recorder ev = new Recorder();
        fx.ipc("c", b -> b.retry(30).maxRetries(3)).connectTo("srv", fx.path("srv"), c -> c
            .onConnect(() -> ev.add("connect")).onDisconnect(() -> ev.add("disconnect"))
            .onError(e -> ev.add("error")).onDestroy(() -> ev.add("destroy")));
        for (int round = 1; round <= 3; round++) {
            int n = round;
            ev.await(l -> l.stream().filter("connect"::equals).count() == n, WAIT, "connect #" + n);
            server.stop();
            ev.await(l -> l.stream().filter("error"::equals).count() >= 2L * n, WAIT, "two failed attempts");
            server.start();
        }
        ev.await(l -> l.stream().filter("connect"::equals).count() == 4, WAIT, "connect #4");
        assertThat(ev.lines()).doesNotContain("destroy");
    }

    @Test
    void stopRetryingSetLiveDuringAnOutageEndsRetries() throws Exception {
        IpcServer server = fx.ipc("srv", b -> b).serve(fx.path("srv")).start();
        Recorder ev = new Recorder();
        Ipc client = fx.ipc("c", b -> b.retry(50));
        client.connectTo("srv", fx.path("srv"), c -> c.onConnect(() -> ev.add("connect"))
            .onError(e -> ev.add("error")).onDestroy(() -> ev.add("destroy")));
        ev.awaitLine("connect", WAIT);
        server.stop();
        ev.awaitLine("error", WAIT);
        client.stopRetrying(true);
        ev.awaitLine("destroy", WAIT);
        assertThat(client.of("srv").isDestroyed()).isTrue();
    }

    @Test
    void backoffSpacesAttemptsOutButStillReconnects() throws Exception {
        Recorder ev = new Recorder();
        List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();
        fx.ipc("c", b -> b.retry(20).backoff(true).maxRetryDelay(Duration.ofMillis(400)))
            .connectTo("late", fx.path("late"), c -> c.onError(e -> {
                times.add(System.nanoTime());
                ev.add("error");
            }).onConnect(() -> ev.add("connect")));
        ev.await(l -> l.size() >= 6, WAIT, "6 failed attempts");
        fx.ipc("late", b -> b).serve(fx.path("late")).start();
        ev.awaitLine("connect", WAIT);
        // gaps grow: the 5th gap (delay 20·2^4=320 ms, jittered to ≥160 ms) exceeds the first (≤20 ms)
        long first = times.get(1) - times.get(0);
        long fifth = times.get(5) - times.get(4);
        assertThat(TimeUnit.NANOSECONDS.toMillis(fifth)).isGreaterThanOrEqualTo(150);
        assertThat(fifth).isGreaterThan(first);
    }

    /** @return a client of server "late", which does not listen yet, retrying every {@code retryMs} */
    private IpcClient clientOfALateServer(int retryMs) {
        Ipc client = fx.ipc("c", b -> b.retry(retryMs));
        client.connectTo("late", fx.path("late"));
        return client.of("late");
    }

    @Test
    void writableLengthCountsEmitsQueuedWhileNotConnectedUntilTheyAreSent() throws Exception {
        IpcClient c = clientOfALateServer(20);
        int n = 10;
        long frame = "{\"type\":\"m\",\"data\":\"0123456789\"}\f".length();
        for (int i = 0; i < n; i++) {
            c.emit("m", "0123456789");
        }
        assertThat(c.writableLength()).as("queued while no server listens").isEqualTo(n * frame);

        Recorder got = new Recorder();
        fx.ipc("late", b -> b).serve(fx.path("late")).on("m", (d, s) -> got.add(d.asString())).start();
        got.awaitCount(n, WAIT);
        // the I/O thread counts a write out just after the peer can read it: wait for that, bounded
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (c.writableLength() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(c.writableLength()).as("after the server got everything").isZero();
    }

    @Test
    void emitsRacingTheConnectFollowTheQueuedOnesInOrder() throws Exception {
        // an application thread emits without pause while the client is queueing and then connects: the frames
        // queued before the connect are handed over before any emit goes straight to the connection (which emits
        // read without a lock), so the server sees one unbroken sequence
        IpcClient c = clientOfALateServer(5);
        int n = 30_000;
        Recorder got = new Recorder();
        Thread emitter = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                c.emit("m", i);
            }
        }, "racing-emitter");
        emitter.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (c.writableLength() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // some frames queued while no server listens
        }
        fx.ipc("late", b -> b).serve(fx.path("late")).on("m", (d, s) -> got.add(d.toString())).start();
        emitter.join(WAIT.toMillis());
        got.awaitCount(n, WAIT);
        List<String> lines = got.lines();
        for (int i = 0; i < n; i++) {
            assertThat(lines.get(i)).as("message %d of %d", i, n).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void disconnectFlushesWhatWasEmittedButAbortDropsIt() throws Exception {
        Recorder got = new Recorder();
        fx.ipc("srv", b -> b).serve(fx.path("srv")).on("m", (d, s) -> got.add(d.asString())).start();
        Ipc client = fx.ipc("c", b -> b);
        int n = 2000;
        String big = "x".repeat(4096);
        client.connectTo("srv", fx.path("srv"));
        for (int i = 0; i < n; i++) {
            client.of("srv").emit("m", i == n - 1 ? "last" : big);
        }
        client.disconnect("srv").get(20, TimeUnit.SECONDS);
        got.awaitLine("last", WAIT);
        assertThat(got.lines()).hasSize(n);

        Recorder ev = new Recorder();
        client.connectTo("srv", fx.path("srv"), c -> c.onDestroy(() -> ev.add("destroy")));
        var stages = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Void>>();
        for (int i = 0; i < 200; i++) {
            stages.add(client.of("srv").emit("m2", big).toCompletableFuture());
        }
        client.abort("srv").get(20, TimeUnit.SECONDS);
        ev.awaitLine("destroy", WAIT);
        // node-ipc semantics: whatever was not yet written fails rather than being sent later
        for (var stage : stages) {
            stage.handle((v, e) -> null).get(20, TimeUnit.SECONDS);
        }
        assertThat(client.of("srv")).isNull();
    }
}
