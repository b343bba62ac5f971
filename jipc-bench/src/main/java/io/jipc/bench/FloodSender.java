package io.jipc.bench;

import io.jipc.IpcClient;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The flood client's emit loop: one {@code emit} per message, paced so the sender never queues much more than
 * {@code hwm} (1 MiB, as bench.js): emit while the client's {@code writableLength()} is below {@code hwm}, else
 * look again every {@link #RECHECK_MICROS} us until it is (polled: no callback per write batch, so the client's
 * allocation figure is the library's). bench.js, in Node, waits for the socket's {@code drain} event instead.
 *
 * <p>Where the emits run ({@code --emit-thread}):
 * <ul>
 *   <li>{@code io} (the default): on the client's I/O thread, as a Node.js process emits, in tasks of
 *       {@link #BURST} emits handed to {@link IpcClient#execute}; the outbox's drain runs between two tasks and
 *       writes a burst in one system call, and no frame crosses threads. Pauses for backpressure are waited out
 *       on that thread too ({@link IpcClient#schedule}); the calling thread only waits for the end.</li>
 *   <li>{@code app}: on the calling thread, an application thread; every drain is then a hand-over to the I/O
 *       thread (a wake-up when it sleeps).</li>
 * </ul>
 * Not thread-safe: the fields are handed between the calling thread and the I/O thread through
 * {@code execute} and the pause future, never shared at the same time.
 */
final class FloodSender {
    /** Emits per I/O-thread task (a ~13 KB burst of 100 B frames; measured best among 32-2,048 on 2 vCPU). */
    static final int BURST = 128;
    /** How often a sender paused by backpressure looks at {@code writableLength()} again, on either thread. */
    static final long RECHECK_MICROS = 20;
    /** A prime: steps of it (mod n) visit every number below n once per n messages unless n is a multiple of it. */
    private static final int SCATTER = 1_000_003;

    private final IpcClient client;
    private final boolean raw;
    private final ByteBuffer frame;
    private final String pad;
    private final int n;
    private final long warmup;
    private final long total;
    private final long hwm;
    private final long deadline;
    private final long half;

    /** The step between sequence numbers, mod n: {@link #SCATTER}, or 1 where that would not visit every number. */
    private final int step;
    private int nextSeq;
        /** Emits made so far (warm-up included). */
    long sent;
    /** The stage of the last emit. */
    CompletionStage<Void> last;
    /** Emits refused at once. */
    long failed;
    /** Bytes allocated by all threads when {@link #sent} reached {@link #half}, or -1. */
    long allocHalf = -1;
    long sentHalf;

    FloodSender(IpcClient client, boolean raw, ByteBuffer frame, String pad, int n, long warmup, long hwm,
                long deadline) {
        this.client = client;
        this.raw = raw;
        this.frame = frame;
        this.pad = pad;
        this.n = n;
        this.warmup = warmup;
        this.total = warmup + n;
        this.hwm = hwm;
        this.deadline = deadline;
        this.half = warmup + n / 2;
        int period = Math.max(1, n);
        boolean coprime = java.math.BigInteger.valueOf(SCATTER).gcd(java.math.BigInteger.valueOf(period)).intValue() == 1;
        this.step = (coprime ? SCATTER : 1) % period;
        // 0 (the one number with its own parse branch) halfway through each n: after the warm-up's compiles
        this.nextSeq = (int) ((long) (period / 2) * step % period);
    }

    /** Emits everything (or until the deadline), from the I/O thread or from this one. */
    void run(boolean onIoThread) throws InterruptedException {
        if (onIoThread) {
            allOnIoThread();
            return;
        }
        while (sent < total && System.nanoTime() < deadline) {
            if (client.writableLength() >= hwm && !awaitDrain()) {
                return;
            }
            emitUntilFull();
        }
    }

    /** @return false when the deadline passed while {@code writableLength()} was still at {@code hwm} or above */
    private boolean awaitDrain() {
        while (client.writableLength() >= hwm) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(RECHECK_MICROS * 1_000);
        }
        return true;
    }

    private void emitUntilFull() {
        while (sent < total && client.writableLength() < hwm) {
            emitOne();
            if ((sent & 1023) == 0 && System.nanoTime() > deadline) {
                return;
            }
        }
    }

    /**
     * Runs everything on the I/O thread and waits for it: bursts of {@link #BURST} emits while
     * {@code writableLength()} is below {@code hwm}; at it, a look again every {@link #RECHECK_MICROS} us,
     * scheduled on that thread (which neither blocks nor spins), as the calling thread waits in {@code app} mode.
     */
    private void allOnIoThread() throws InterruptedException {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        client.execute(new Runnable() {
            private boolean draining;

            @Override
            public void run() {
                if (draining && client.writableLength() >= hwm && System.nanoTime() < deadline) {
                    client.schedule(this, RECHECK_MICROS, TimeUnit.MICROSECONDS);
                    return;
                }
                draining = false;
                for (int k = 0; k < BURST && sent < total; k++) {
                    if (client.writableLength() >= hwm) {
                        draining = true;
                        client.schedule(this, RECHECK_MICROS, TimeUnit.MICROSECONDS);
                        return;
                    }
                    emitOne();
                }
                if (sent >= total || System.nanoTime() > deadline) {
                    finished.complete(null);
                    return;
                }
                client.execute(this); // after the drain this burst queued
            }
        });
        try {
            finished.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 2_000,
                TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the I/O thread's emits did not finish: " + e, e);
        }
    }

    private void emitOne() {
        // the sequence numbers below n in a scattered order, warm-up and timed alike (so every n of them hold the
        // harness's frame sizes): in counting order the one- and two-digit numbers came only at the start of the
        // warm-up, and the receiver's number parsing deoptimised at the start of the timed window, where they came
        // again; and one formula for both, with no branch that turns where the window starts
        int seq = nextSeq;
        nextSeq = Peers.wrapBelow(seq + step, n);
        last = raw ? client.emit(frame) : client.emit("message", new Peers.Msg(seq, pad));
        if (last instanceof CompletableFuture<?> f && f.isCompletedExceptionally()) {
            failed++; // refused at once (a write that fails later shows in the last stage)
        }
        sent++;
        if (sent == half) {
            allocHalf = Peers.allocatedBytes();
            sentHalf = sent;
        }
    }
}
