package io.jipc.bench;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The client peer of one workload, as bench.js's {@code --role=client}:
 * {@code --mode=pingpong|flood|bcast-recv|churn|idle}. Every loop is bounded by a count and by
 * {@code --max-seconds}.
 */
final class BenchClient {
    private final Opts o;
    private final Out out;
    private final boolean raw;
    private final int size;
    private final String pad;
    private final double maxSeconds;
    private final long hardDeadline;

    BenchClient(Opts o, Out out) {
        this.o = o;
        this.out = out;
        this.raw = o.flag("raw");
        this.size = o.i("size", 100);
        this.pad = Peers.pad(size);
        this.maxSeconds = o.d("max-seconds", 20);
        this.hardDeadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    }

    void run() throws Exception {
        String mode = o.str("mode", "pingpong");
        switch (mode) {
            case "pingpong" -> pingpong();
            case "flood" -> flood();
            case "bcast-recv" -> bcastRecv();
            case "churn" -> churn();
            case "idle" -> idle();
            default -> throw new IllegalArgumentException("unknown --mode=" + mode);
        }
    }

    private Map<String, Object> base(String mode) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("role", "client");
        r.put("mode", mode);
        r.put("transport", o.str("transport", "unix"));
        r.put("raw", raw);
        r.put("frame_bytes", Peers.frame(size).length);
        return r;
    }

    private void report(Map<String, Object> r) {
        r.put("maxrss_kb", Peers.peakRssKb());
        out.result(r);
    }

    private long remainingMs() {
        return Math.max(1, (hardDeadline - System.nanoTime()) / 1_000_000);
    }

    private IpcClient connectAndWait(Ipc ipc, String id, java.util.function.Consumer<IpcClient> setup) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        IpcClient c = Peers.connect(ipc, o, id, cl -> {
            cl.onConnect(up::countDown);
            setup.accept(cl);
        });
        if (!up.await(Math.min(10_000, remainingMs()), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("could not connect to " + c.endpoint());
        }
        return c;
    }

    private void pingpong() throws Exception {
        int warmup = o.i("warmup", 2000);
        int rounds = o.i("rounds", 20000);
        int total = warmup + rounds;
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        // the warm-up's round trips go to a histogram of their own, picked by arithmetic: a branch taken for the first
        // time at the first timed round trip deoptimised the receive path it is inlined into, right there
        Histogram[] into = {new Histogram(TimeUnit.SECONDS.toNanos(60), 3), h};
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] t0 = {0};
        int[] i = {0};
        byte[] frame = Peers.frame(size);
        try (Ipc ipc = new Ipc(Peers.config(o, "bench-client", false).build())) {
            IpcClient[] self = new IpcClient[1];
            Runnable next = () -> {
                long t = System.nanoTime();
                into[(warmup - 1 - i[0]) >>> 31].recordValue(Math.min(t - t0[0], h.getHighestTrackableValue()));
                if (++i[0] >= total) {
                    done.complete(null);
                    return;
                }
                t0[0] = System.nanoTime();
                if (raw) {
                    self[0].emit(frame);
                } else {
                    self[0].emit("message", new Peers.Msg(i[0], pad));
                }
            };
            int[] partial = {0};
            self[0] = connectAndWait(ipc, "srv", c -> {
                if (raw) {
                    c.onData(bytes -> {
                        // a raw echo may arrive in pieces: the round trip ends with the delimiter
                        partial[0] += bytes.length;
                        if (partial[0] >= frame.length && bytes[bytes.length - 1] == '\f') {
                            partial[0] = 0;
                            next.run();
                        }
                    });
                } else {
                    c.on("message", d -> next.run());
                }
            });
            long tStart = System.nanoTime();
            t0[0] = System.nanoTime();
            if (raw) {
                self[0].emit(frame);
            } else {
                self[0].emit("message", new Peers.Msg(0, pad));
            }
            done.get(remainingMs(), TimeUnit.MILLISECONDS);
            double wall = (System.nanoTime() - tStart) / 1e9;
            Map<String, Object> r = base("pingpong");
            r.put("rounds", rounds);
            r.put("warmup", warmup);
            r.put("wall_s", wall);
            r.put("median_us", h.getValueAtPercentile(50) / 1e3);
            r.put("p99_us", h.getValueAtPercentile(99) / 1e3);
            r.put("p999_us", h.getValueAtPercentile(99.9) / 1e3);
            r.put("min_us", h.getMinValue() / 1e3);
            r.put("max_us", h.getMaxValue() / 1e3);
            r.put("count", h.getTotalCount());
            report(r);
        }
    }

    private void flood() throws Exception {
        int n = o.i("n", 500000);
        // --warmup=W: W + n messages in one go (same emit loop, same flow control); the server times only the last n
        int warmup = Math.max(0, o.i("warmup", 0));
        long hwm = o.i("hwm", 1 << 20);
        byte[] frame = Peers.frame(size);
        // raw: emit(ByteBuffer) copies the bytes and leaves the buffer as it was, so one buffer serves every emit
        java.nio.ByteBuffer frameBuffer = java.nio.ByteBuffer.wrap(frame);
        Ipc ipc = new Ipc(Peers.config(o, "bench-client", false).build());
        try {
            IpcClient c = connectAndWait(ipc, "srv", cl -> { });
            Peers.sleep(100);
            long tStart = System.nanoTime();
            long deadline = tStart + (long) ((maxSeconds - 3) * 1e9);
            // --emit-thread=io (default): emits run on the client's I/O thread, as a Node.js process emits;
            // --emit-thread=app: on this thread (see FloodSender)
            String on = o.str("emit-thread", "io");
            if (!on.equals("io") && !on.equals("app")) {
                throw new IllegalArgumentException("--emit-thread must be io or app, not " + on);
            }
            FloodSender sender = new FloodSender(c, raw, frameBuffer, pad, n, warmup, hwm, deadline);
            sender.run(on.equals("io"));
            long tEnd = System.nanoTime();
            long i = sender.sent;
            long failed = sender.failed;
            double alloc = sender.allocHalf < 0 ? -1
                : (Peers.allocatedBytes() - sender.allocHalf) / (double) Math.max(1, i - sender.sentHalf);
            CompletionStage<Void> last = sender.last;
            if (last != null) {
                try {
                    last.toCompletableFuture().get(Math.max(1, remainingMs()), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    failed++;
                }
            }
            Map<String, Object> r = base("flood");
            r.put("sent", i);   // warm-up included
            r.put("warmup", warmup);
            r.put("failed", failed);
            r.put("t_start", String.valueOf(tStart));
            r.put("t_end_emit", String.valueOf(tEnd));
            r.put("emit_thread", on);
            r.put("alloc_per_msg_B", alloc);
            report(r);
            if (o.flag("linger")) {   // child JVM: stay connected until the orchestrator ends us
                Peers.sleep(remainingMs());
            }
        } finally {
            if (!o.flag("linger")) {
                ipc.close();
            }
        }
    }

    /** The churn chain: connect, emit one message, on the echo disconnect and start the next connection. */
    private final class Churn {
        final Ipc ipc;
        final String prefix;
        final long endAt;
        final int maxConn;
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean stop;

        Churn(Ipc ipc, String prefix, long endAt, int maxConn) {
            this.ipc = ipc;
            this.prefix = prefix;
            this.endAt = endAt;
            this.maxConn = maxConn;
        }

        void next() {
            long now = System.nanoTime();
            int seq = done.get();
            if (stop || now >= endAt || seq >= maxConn || now >= hardDeadline) {
                finished.complete(null);
                return;
            }
            String id = prefix + seq;
            java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.function.Consumer<Boolean> settle = good -> {
                if (settled.compareAndSet(false, true)) {
                    if (!good) {
                        errors.incrementAndGet();
                    }
                    ipc.disconnect(id);   // like node-ipc's ipc.disconnect(id): not awaited
                    done.incrementAndGet();
                    next();
                }
            };
            Peers.connect(ipc, o, id, c -> c
                .onConnect(() -> c.emit("message", new Peers.Msg(seq, pad)))
                .on("message", d -> settle.accept(true))
                .onError(e -> settle.accept(false))
                .onDestroy(() -> settle.accept(false)));
        }
    }

    private void bcastRecv() throws Exception {
        int k = o.i("clients", 32);
        int n = o.i("n", 20000);
        long warmup = Math.max(0, o.i("warmup", 0));
        long warmAll = k * warmup;
        long expect = k * (warmup + n);
        // --warmup=W: the first W deliveries of each connection are the server's untimed broadcasts (per connection in
        // order), the same event as the timed ones. Every delivery runs the same code: a count, and a clock read at
        // every 2^shift-th one of all connections, into its own slot; no branch turns at the end of the warm-up (one
        // that did deoptimised the dispatch it is inlined into, right at the start of the timed window). The window
        // starts at delivery warmAll of all connections, whose clock read the shift guarantees (it divides warmAll).
        int shift = Peers.markShift(warmAll, (long) k * n, 10);
        long[] stamps = new long[(int) (expect >>> shift) + 1];
        long mask = (1L << shift) - 1;
        AtomicLong total = new AtomicLong();
        long[] per = new long[k];
        CompletableFuture<Long> done = new CompletableFuture<>();
        try (Ipc ipc = new Ipc(Peers.config(o, "bench-client", false).build())) {
            boolean typed = o.flag("typed"); // --typed: each payload bound to the record, as on(type, Class, …) users do
            for (int j = 0; j < k; j++) {
                int id = j;
                Runnable delivered = () -> {
                    per[id]++;
                    long all = total.incrementAndGet();
                    if ((all & mask) == 0) {
                        stamps[(int) (all >>> shift)] = System.nanoTime();
                    }
                    if (all == expect) {
                        done.complete(System.nanoTime());
                    }
                };
                Peers.connect(ipc, o, "srv" + j, c -> {
                    c.onConnect(() -> c.emit("message", Map.of("hello", id)));
                    if (typed) {
                        c.on("message", Peers.Msg.class, m -> delivered.run());
                    } else {
                        c.on("message", d -> delivered.run());
                    }
                });
            }
            Map<String, Object> r = base("bcast-recv");
            r.put("clients", k);
            try {
                long tLast = done.get(remainingMs(), TimeUnit.MILLISECONDS);
                r.put("t_last", String.valueOf(tLast));
            } catch (java.util.concurrent.TimeoutException e) {
                r.put("t_last", String.valueOf(System.nanoTime()));
                r.put("partial", true);
            }
            long got = total.get();
            // the window's first clock read: delivery warmAll of all connections (cold: none, the orchestrator then
            // times from the server's first broadcast)
            r.put("t_first", String.valueOf(warmAll > 0 ? stamps[(int) (warmAll >>> shift)] : 0));
            r.put("received", Math.max(0, got - warmAll));
            r.put("warm_received", Math.min(got, warmAll));
            long min = Long.MAX_VALUE;
            for (long v : per) {
                min = Math.min(min, v - warmup);
            }
            r.put("min_per_client", min);
            report(r);
        }
    }


    private void churn() throws Exception {
        double seconds = o.d("seconds", 5);
        int maxConn = o.i("n", 100000);
        Opts co = o.copy();
        try (Ipc ipc = new Ipc(Peers.config(co, "bench-client", false).maxRetries(0).stopRetrying(true).build())) {
            long tStart = System.nanoTime();
            long endAt = tStart + (long) (seconds * 1e9);
            // like bench.js (await per connection on node's one thread): each connection is opened from the
            // previous one's message handler, so the whole chain runs on the client's event loop
            int warmup = o.i("warmup", 0);
            if (warmup > 0) {
                // optional: up to this many connections (at most the measured duration) first, untimed: the
                // JIT-compiled steady state, like ping-pong's warm row
                Churn warm = new Churn(ipc, "w", System.nanoTime() + (long) (seconds * 1e9), warmup);
                warm.next();
                warm.finished.get(Math.max(1, remainingMs()), TimeUnit.MILLISECONDS);
                tStart = System.nanoTime();
                endAt = tStart + (long) (seconds * 1e9);
            }
            Churn churn = new Churn(ipc, "c", endAt, maxConn);
            churn.next();
            try {
                churn.finished.get(Math.max(1, remainingMs()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                churn.stop = true;
            }
            int done = churn.done.get();
            int errors = churn.errors.get();
            double wall = (System.nanoTime() - tStart) / 1e9;
            Map<String, Object> r = base("churn");
            r.put("connections", done);
            r.put("errors", errors);
            r.put("wall_s", wall);
            r.put("conns_per_s", done / wall);
            if (warmup > 0) {
                r.put("warmup", warmup);
            }
            report(r);
        }
    }

    private void idle() throws Exception {
        int k = o.i("clients", 1000);
        CountDownLatch up = new CountDownLatch(k);
        AtomicInteger seen = new AtomicInteger();
        Ipc ipc = new Ipc(Peers.config(o, "bench-client", false).build());
        // one connection first, outside the measurement: class initialisation and the JDK's and Jackson's
        // one-time caches (hundreds of KB, e.g. the locale tables Jackson's date format loads) are not
        // per-connection costs, and the server side is measured after its own start-up too
        CountDownLatch warm = new CountDownLatch(1);
        Peers.connect(ipc, o, "idle-warm", c -> c.onConnect(warm::countDown));
        warm.await(remainingMs(), TimeUnit.MILLISECONDS);
        long before = Peers.heapAfterGc();
        List<IpcClient> all = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            all.add(Peers.connect(ipc, o, "idle" + j, c -> c.onConnect(() -> {
                seen.incrementAndGet();
                up.countDown();
            })));
        }
        boolean allUp = up.await(remainingMs(), TimeUnit.MILLISECONDS);
        Peers.sleep(300);
        long after = Peers.heapAfterGc();
        Map<String, Object> r = base("idle");
        r.put("clients", k);
        r.put("connected", seen.get());
        r.put("all_up", allUp);
        r.put("client_heap_per_conn_B", (after - before) / (double) k);
        report(r);
        if (o.flag("linger")) {
            Peers.sleep(remainingMs());
        } else {
            ipc.close();
        }
    }
}
