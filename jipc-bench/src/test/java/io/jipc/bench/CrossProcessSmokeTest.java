package io.jipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Smoke of the cross-process workloads with tiny counts: the same server and client code the benchmark JVMs run,
 * here as two {@code Ipc} instances in one JVM, over Unix sockets and TCP. Correctness only (counts), no timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrossProcessSmokeTest {
    private static Path dir;

    @BeforeAll
    static void dir() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jb");
    }

    @AfterAll
    static void clean() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Collects what a peer reports instead of printing it; finish() does not exit. */
    static final class Collect implements Out {
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final BlockingQueue<Map<String, Object>> results = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        @Override
        public void ready(String info) {
            ready.complete(info);
        }

        @Override
        public void result(Map<String, Object> r) {
            results.add(r);
        }

        @Override
        public void finish() {
            finished.complete(null);
        }

        Map<String, Object> next() throws InterruptedException {
            Map<String, Object> r = results.poll(20, TimeUnit.SECONDS);
            assertTrue(r != null, "no result within 20 s");
            return r;
        }
    }

    private record Pair(Collect server, Collect client, BenchServer srv) {
    }

    private static long num(Map<String, Object> r, String k) {
        return ((Number) r.get(k)).longValue();
    }

    private Pair run(String transport, String serverMode, String clientMode, Opts extra) throws Exception {
        Opts common = extra.copy().with("transport", transport)
            .with("path", dir.resolve(serverMode + "-" + clientMode + "-" + System.nanoTime() % 100000 + ".sock").toString())
            .with("max-seconds", 20);
        Collect sOut = new Collect();
        BenchServer srv = new BenchServer(common.copy().with("mode", serverMode).with("port", 0), sOut).start();
        Collect cOut = new Collect();
        try {
            new BenchClient(common.copy().with("mode", clientMode).with("port", srv.port()), cOut).run();
        } catch (Exception e) {
            srv.close();
            throw e;
        }
        return new Pair(sOut, cOut, srv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void pingpong(String t) throws Exception {
        Pair p = run(t, "echo", "pingpong", new Opts().with("rounds", 200).with("warmup", 20));
        try {
            Map<String, Object> c = p.client().next();
            assertEquals(200, num(c, "count"));
            assertEquals(200, num(c, "rounds"));
        } finally {
            p.srv().close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void pingpongRaw(String t) throws Exception {
        Pair p = run(t, "echo", "pingpong", new Opts().with("rounds", 200).with("warmup", 20).with("raw", true));
        try {
            assertEquals(200, num(p.client().next(), "count"));
        } finally {
            p.srv().close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void flood(String t) throws Exception {
        for (Opts o : new Opts[] {new Opts().with("size", 100), new Opts().with("size", 16384), new Opts().with("size", 100).with("raw", true),
            new Opts().with("size", 16384).with("raw", true), new Opts().with("size", 100).with("typed", true)}) {
            Pair p = run(t, "count", "flood", o.with("n", 200));
            try {
                Map<String, Object> c = p.client().next();
                assertEquals(200, num(c, "sent"));
                assertEquals(0, num(c, "failed"));
                Map<String, Object> s = p.server().next();
                assertEquals(200, num(s, "count"), "server count " + o.map);
                assertEquals("count", s.get("stopped"));
            } finally {
                p.srv().close();
            }
        }
    }

    /** The warm row: warmup + n messages in one stream; the server counts them all and times only the last n. */
    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void floodWarm(String t) throws Exception {
        for (Opts o : new Opts[] {new Opts().with("size", 100), new Opts().with("size", 100).with("raw", true)}) {
            Pair p = run(t, "count", "flood", o.with("n", 200).with("warmup", 300));
            try {
                Map<String, Object> c = p.client().next();
                assertEquals(500, num(c, "sent"));
                assertEquals(300, num(c, "warmup"));
                assertEquals(0, num(c, "failed"));
                Map<String, Object> s = p.server().next();
                assertEquals(500, num(s, "count"), "server count " + o.map);
                assertEquals(200, num(s, "timed"), "server timed " + o.map);
                assertEquals("count", s.get("stopped"));
                long first = Long.parseLong((String) s.get("t_first"));
                assertTrue(first != 0 && Long.parseLong((String) s.get("t_last")) >= first, "timing window " + s);
            } finally {
                p.srv().close();
            }
        }
    }

    /**
     * The warm row: untimed broadcasts first (the same event); the clients count them apart by number. Also with the
     * clients binding each payload to the record ({@code --typed}).
     */
    @ParameterizedTest
    @CsvSource({"unix,false", "tcp,false", "unix,true"})
    void broadcastWarm(String t, boolean typed) throws Exception {
        Opts o = new Opts().with("clients", 2).with("n", 200).with("warmup", 300);
        Pair p = run(t, "broadcast", "bcast-recv", typed ? o.with("typed", true) : o);
        try {
            Map<String, Object> c = p.client().next();
            assertEquals(400, num(c, "received"));
            assertEquals(200, num(c, "min_per_client"));
            assertEquals(600, num(c, "warm_received"));   // in order per connection: all before the timed ones
            long first = Long.parseLong((String) c.get("t_first"));
            assertTrue(first != 0 && Long.parseLong((String) c.get("t_last")) >= first, "timing window " + c);
            Map<String, Object> s = p.server().next();
            assertEquals(200, num(s, "count"));
            assertEquals(300, num(s, "warm_sent"));
            assertEquals(2, num(s, "clients"));
        } finally {
            p.srv().close();
        }
    }

    @Test
    void clockReadsDivideTheWarmUpAndCoverTheWindow() {
        assertEquals(10, Peers.markShift(32L * 100_000, 32L * 20_000, 10)); // the run.sh broadcast row: every 1,024th
        assertEquals(6, Peers.markShift(3_000_000, 3_000_000, 8));         // the run.sh flood row: every 64th
        assertEquals(2, Peers.markShift(600, 400, 10));                     // the broadcast smoke row
        assertEquals(0, Peers.markShift(3 * 7, 10_000, 10));                // an odd warm-up: every message
        assertEquals(4, Peers.markShift(0, 1_024, 10));                     // cold: at least 64 reads
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void broadcast(String t) throws Exception {
        Pair p = run(t, "broadcast", "bcast-recv", new Opts().with("clients", 2).with("n", 200));
        try {
            Map<String, Object> c = p.client().next();
            assertEquals(400, num(c, "received"));
            assertEquals(200, num(c, "min_per_client"));
            Map<String, Object> s = p.server().next();
            assertEquals(200, num(s, "count"));
            assertEquals(2, num(s, "clients"));
        } finally {
            p.srv().close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void churn(String t) throws Exception {
        Pair p = run(t, "echo", "churn", new Opts().with("seconds", 1));
        try {
            Map<String, Object> c = p.client().next();
            assertTrue(num(c, "connections") > 0, "connections " + c);
            assertEquals(0, num(c, "errors"));
        } finally {
            p.srv().close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix", "tcp"})
    void idle(String t) throws Exception {
        Pair p = run(t, "idle", "idle", new Opts().with("clients", 20));
        try {
            Map<String, Object> c = p.client().next();
            assertEquals(20, num(c, "connected"));
            Map<String, Object> s = p.server().next();
            assertEquals(21, num(s, "conns")); // the client's warm-up connection and its 20 measured ones
        } finally {
            p.srv().close();
        }
    }
}
