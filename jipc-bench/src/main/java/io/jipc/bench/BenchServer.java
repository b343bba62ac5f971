package io.jipc.bench;

import io.jipc.Ipc;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The server peer of one workload, as bench.js's {@code --role=server}:
 * {@code --mode=echo} (pingpong, churn), {@code count} (flood, flood16k), {@code broadcast}, {@code idle}
 * (heap per idle connection). Framed JSON by default, {@code --raw} for rawBuffer mode; {@code --typed} (count):
 * the handler takes each payload bound to a record instead of the JSON tree.
 * <p>{@code --warmup=W} (count, broadcast): the first W messages (count: received; broadcast: sent, the same
 * event as the timed ones) are untimed, so the JIT-compiled steady state is measured; the n timed ones follow in
 * the same stream. Default 0: the harness's workload from a cold JVM.
 */
final class BenchServer implements AutoCloseable {
    private final Opts o;
    private final Out out;
    private final String mode;
    private final int n;
    /** count, broadcast: untimed messages before the n timed ones (0 = the cold workload) */
    private final int warmup;
    private final int clients;
    private final boolean raw;
    private Ipc ipc;
    private IpcServer server;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicInteger conns = new AtomicInteger();
    private final AtomicInteger hellos = new AtomicInteger();
    // only touched on the one connection's I/O thread; plain (no fence per message): a report made on another
    // thread (max-seconds, STOP) may miss the last few, its timed figures come from countAtLast
    private long count;
    private volatile long tFirst;
    private volatile long tLast;
    /** The count when tLast was taken. */
    private volatile long countAtLast;
    private volatile double allocPerMsg = -1;
    /** count mode: clock reads every 2^markShift messages, by count >>> markShift; markShift divides warmup. */
    private final int markShift;
    private final long[] marks;
    /** count mode: the allocation counters every 2^allocShift messages, by count >>> allocShift, and the count then. */
    private final int allocShift;
    private final long[] allocs;
    private final long[] allocCounts;
    private long heapBefore;
    private int port;

    BenchServer(Opts o, Out out) {
        this.o = o;
        this.out = out;
        this.mode = o.str("mode", "echo");
        this.n = o.i("n", 500000);
        this.warmup = Math.max(0, o.i("warmup", 0));
        this.clients = o.i("clients", 32);
        this.raw = o.flag("raw");
        boolean counts = mode.equals("count");
        this.markShift = Peers.markShift(warmup, n, 8);
        // 16-32 readings over the timed window (more past 2^21 messages), each a walk over the JVM's threads
        this.allocShift = Math.max(markShift, Math.min(16, Peers.markShift(0, n, 16) + 2));
        this.marks = new long[counts ? (int) (((long) warmup + n) >>> markShift) + 2 : 0];
        this.allocs = new long[counts ? (int) (((long) warmup + n) >>> allocShift) + 2 : 0];
        this.allocCounts = new long[allocs.length];
    }

    BenchServer start() {
        ipc = new Ipc(Peers.config(o, "bench-server", true).build());
        server = o.str("transport", "unix").equals("unix")
            ? ipc.serve(o.str("path", "/tmp/nodeipc-lab/jipc-bench.sock"))
            : ipc.serveNet(o.str("host", "127.0.0.1"), o.i("port", 0));
        server.onError((e, s) -> {
            if (o.flag("verbose")) {
                System.err.println("server error " + e);
            }
        });
        server.onConnect(s -> {
            int c = conns.incrementAndGet();
            if (mode.equals("idle") && c == clients + 1) { // the idle client's warm-up connection, then its clients
                Thread t = new Thread(this::measureIdle, "idle-measure");
                t.setDaemon(true);
                t.start();
            }
        });
        switch (mode) {
            case "echo" -> {
                if (raw) {
                    server.onData((bytes, s) -> {
                        count++;
                        s.emit(bytes);
                    });
                } else {
                    server.on("message", (data, s) -> {
                        count++;
                        s.emit("message", data);
                    });
                }
            }
            case "count" -> {
                if (raw) {
                    // borrowed, read-only view of each read: nothing allocated per read once warm
                    server.onRawBuffer((buf, s) -> counted(countDelims(buf)));
                } else if (o.flag("typed")) {
                    // --typed: each payload bound to the record the client sends, as on(type, Class, …) users do
                    server.on("message", Peers.Msg.class, (m, s) -> counted(1));
                } else {
                    server.on("message", (data, s) -> counted(1));
                }
            }
            case "broadcast" -> server.on("message", (data, s) -> {
                if (data.has("hello") && hellos.incrementAndGet() == clients) {
                    Thread t = new Thread(this::broadcastLoop, "broadcaster");
                    t.setDaemon(true);
                    t.start();
                }
            });
            case "idle" -> server.on("message", (data, s) -> count++);
            default -> throw new IllegalArgumentException("unknown --mode=" + mode);
        }
        if (mode.equals("idle")) {
            heapBefore = Peers.heapAfterGc();
        }
        server.start();
        if (server.localAddress() instanceof InetSocketAddress a) {
            port = a.getPort();
        }
        Thread timer = new Thread(() -> {
            Peers.sleep((long) (o.d("max-seconds", 25) * 1000));
            finish(Map.of("stopped", "max-seconds"));
        }, "max-seconds");
        timer.setDaemon(true);
        timer.start();
        out.ready("port=" + port);
        return this;
    }

    int port() {
        return port;
    }

    /**
     * Counts {@code k} arrivals. Every arrival runs the same code, warm-up or timed, so nothing the JIT compiled
     * during the warm-up turns when the timed window starts or passes its half (branches that did deoptimised the
     * dispatch they are inlined into right there): a count, and a clock read at every 2^markShift-th message into
     * its own slot, with the allocation counters read at every 2^allocShift-th. Not per message: a clock read costs
     * about as much as a small message's whole dispatch. The window and the allocation figure are worked out from
     * the slots at the end ({@link #finishCount}). Only the last arrival takes another branch.
     */
    private void counted(int k) {
        long before = count;
        long c = before + k;
        count = c;
        if ((before >>> markShift) != (c >>> markShift)) { // a multiple of 2^markShift in (before, c]
            long t = System.nanoTime();
            int i = Math.min((int) (c >>> markShift), marks.length - 1);
            marks[i] = t;
            tLast = t;
            countAtLast = c;
            if ((before >>> allocShift) != (c >>> allocShift)) {
                int j = Math.min((int) (c >>> allocShift), allocs.length - 1);
                allocs[j] = Peers.allocatedBytes();
                allocCounts[j] = c;
            }
        }
        if (c >= (long) warmup + n) {
            finishCount(c);
        }
    }

    /** The last arrival: t_last, t_first (the clock read of the read that held message {@code warmup}), allocation. */
    private void finishCount(long c) {
        long t = System.nanoTime();
        long allocEnd = Peers.allocatedBytes();
        tLast = t;
        countAtLast = c;
        for (int i = (int) (warmup >>> markShift); i < marks.length; i++) {
            if (marks[i] != 0) {
                tFirst = marks[i];
                break;
            }
        }
        long half = warmup + n / 2;
        for (int j = (int) (half >>> allocShift); j < allocs.length; j++) {
            if (allocCounts[j] >= half && allocCounts[j] < c) {
                allocPerMsg = (allocEnd - allocs[j]) / (double) (c - allocCounts[j]);
                break;
            }
        }
        finish(Map.of("stopped", "count"));
    }

    /**
     * @return the frame delimiters ({@code \f}) between {@code buf}'s position and limit (absolute reads), eight
     *         bytes at a time as the C limit's memchr does (a byte-at-a-time loop caps a 16 KiB flood near 1 GB/s)
     */
    private static final long DELIMS = 0x0C0C0C0C0C0C0C0CL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /**
     * Delimiters in {@code buf}'s remaining bytes, as the C program's memchr loop counts them: 32 bytes per step
     * with a cheap "any zero byte" gate (may over-report, never misses), the exact count only for a step that has one.
     */
    private static int countDelims(java.nio.ByteBuffer buf) {
        int k = 0;
        int i = buf.position();
        int end = buf.limit();
        for (; i + 32 <= end; i += 32) {
            long a = buf.getLong(i) ^ DELIMS;
            long b = buf.getLong(i + 8) ^ DELIMS;
            long c = buf.getLong(i + 16) ^ DELIMS;
            long d = buf.getLong(i + 24) ^ DELIMS;
            long gate = ((a - ONES) & ~a) | ((b - ONES) & ~b) | ((c - ONES) & ~c) | ((d - ONES) & ~d);
            if ((gate & HIGH) != 0) {
                k += zeroBytes(a) + zeroBytes(b) + zeroBytes(c) + zeroBytes(d);
            }
        }
        for (; i + 8 <= end; i += 8) {
            k += zeroBytes(buf.getLong(i) ^ DELIMS);
        }
        for (; i < end; i++) {
            if (buf.get(i) == '\f') {
                k++;
            }
        }
        return k;
    }

    /** Exact number of zero bytes in {@code x} (no false positives from borrows). */
    private static int zeroBytes(long x) {
        return Long.bitCount(~(((x & LOW7) + LOW7) | x | LOW7));
    }

    private void broadcastLoop() {
        Peers.sleep(100);
        List<IpcSocket> sockets = server.sockets();
        String pad = Peers.pad(o.i("size", 100));
        long hwm = o.i("hwm", 1 << 20);
        long deadline = System.nanoTime() + (long) ((o.d("max-seconds", 25) - 3) * 1e9);
        // --warmup=W: W untimed broadcasts first, then the n timed ones: the same event ("message"), the same loop
        // and flow control, so nothing the JIT compiled for the warm-up changes when the timed ones start (an event
        // or branch seen first there deoptimised the receivers' dispatch at the start of the timed window). The
        // clients tell them apart by count. Sequence numbers run 0..n-1 over and over: the timed frame sizes.
        long m = broadcasts(0, warmup, sockets, pad, hwm, deadline);
        long tStart = System.nanoTime();
        if (m == warmup) {
            m = broadcasts(m, (long) warmup + n, sockets, pad, hwm, deadline);
        }
        long tEnd = System.nanoTime();
        Map<String, Object> r = base("broadcast-sent");
        r.put("count", Math.max(0, m - warmup));   // timed broadcasts sent
        r.put("warmup", warmup);
        r.put("warm_sent", Math.min(m, warmup));
        r.put("clients", hellos.get());
        r.put("t_first", String.valueOf(tStart));
        r.put("t_last", String.valueOf(tEnd));
        out.result(r);
    }

    /** Broadcasts number {@code from} to {@code to - 1}, or until the deadline. @return the next number to send */
    private long broadcasts(long from, long to, List<IpcSocket> sockets, String pad, long hwm, long deadline) {
        long m = from;
        int period = Math.max(1, n);
        outer:
        while (m < to) {
            for (int b = 0; b < 64 && m < to; b++, m++) {
                server.broadcast("message", new Peers.Msg((int) (m % period), pad));
            }
            for (IpcSocket s : sockets) {
                // as bench.js: a socket with more than hwm (1 MiB) queued is waited for; node waits for 'drain',
                // here until it is down to hwm/2
                if (s.writableLength() > hwm) {
                    while (s.writableLength() > hwm / 2 && s.isOpen()) {
                        LockSupport.parkNanos(20_000);
                        if (System.nanoTime() > deadline) {
                            break outer;
                        }
                    }
                }
            }
            if ((m & 1023) == 0 && System.nanoTime() > deadline) {
                break;
            }
        }
        return m;
    }

    private void measureIdle() {
        Peers.sleep(500);
        long after = Peers.heapAfterGc();
        int c = conns.get();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("stopped", "idle-measured");
        extra.put("heap_before", heapBefore);
        extra.put("heap_after", after);
        extra.put("heap_per_conn_B", (after - heapBefore) / (double) Math.max(1, c));
        finish(extra);
    }

    private Map<String, Object> base(String m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("role", "server");
        r.put("mode", m);
        r.put("transport", o.str("transport", "unix"));
        r.put("raw", raw);
        return r;
    }

    /** Reports and ends (once): called on count reached, STOP, or max-seconds. */
    void finish(Map<String, Object> extra) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        Map<String, Object> r = base(mode);
        r.put("count", count);
        if (mode.equals("count")) {
            r.put("warmup", warmup);
            r.put("timed", Math.max(0, countAtLast - warmup));   // the messages inside [t_first, t_last]
        }
        r.put("conns", conns.get());
        r.put("t_first", String.valueOf(tFirst));
        r.put("t_last", String.valueOf(tLast));
        r.put("alloc_per_msg_B", allocPerMsg);
        r.put("maxrss_kb", Peers.peakRssKb());
        r.putAll(extra);
        out.result(r);
        out.finish();
    }

    @Override
    public void close() {
        if (ipc != null) {
            ipc.close();
        }
    }
}
