package io.jipc.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * One {@code jipc connect} run, whatever the transport: the emits to send, the received events
 * (framed: {@code {"type":…,"data":…}}; raw: {@code {"event":"data","hex":…}}) printed as JSON lines
 * until {@code --count} of them arrived, and the deadline every wait shares. {@link #receive},
 * {@link #receiveLine} and {@link #lost} may be called from I/O threads.
 */
final class Exchange {
    /**
     * One thing to send, in command-line order: a framed event ({@code --emit TYPE JSON}) or raw bytes
     * ({@code --emit-hex}, {@code --emit-text}; {@code bytes} set).
     * @param label the flag and its argument, for messages
     */
    record Emit(String label, String type, JsonNode data, byte[] bytes) {
        static Emit event(String type, JsonNode data) {
            return new Emit("--emit " + type, type, data, null);
        }

        static Emit raw(String label, byte[] bytes) {
            return new Emit(label, null, null, bytes);
        }

        boolean isRaw() {
            return bytes != null;
        }
    }

    final List<Emit> emits;
    final Lines lines;
    private final int count;
    private final BigDecimal timeout;
    private final long deadline;
    private final CountDownLatch received;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicReference<String> lost = new AtomicReference<>();

    /** Starts the clock: {@code timeout} seconds from now. */
    Exchange(List<Emit> emits, int count, BigDecimal timeout, Lines lines) {
        this.emits = List.copyOf(emits);
        this.count = count;
        this.timeout = timeout;
        this.lines = lines;
        this.deadline = System.nanoTime() + timeout.movePointRight(9).longValue();
        this.received = new CountDownLatch(count);
    }

    /** An event arrived: printed while fewer than {@code --count} were (all of them when the count is 0). */
    void receive(String type, JsonNode data) {
        receiveLine(EventJson.event(type, data));
    }

    /** An event arrived, as its output line (raw mode: a data line); counted as {@link #receive} is. */
    void receiveLine(String line) {
        if (count == 0 || seen.incrementAndGet() <= count) {
            lines.out(line);
            received.countDown();
        }
    }

    /** The connection is gone for good ({@code why}: the last error, or null): stops waiting for events. */
    void lost(String why) {
        if (lost.compareAndSet(null, why == null ? "" : " (" + why + ")")) {
            while (received.getCount() > 0) {
                received.countDown();
            }
        }
    }

    /** Waits until {@code latch} opens or the deadline passes. @return whether it opened */
    boolean await(CountDownLatch latch) {
        try {
            return latch.await(nanosLeft(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until {@code f} completes or the deadline passes. @return whether it completed */
    boolean await(CompletableFuture<?> f) {
        try {
            f.get(nanosLeft(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits for the emits' writes to {@code target}.
     * @return 0 when all were written, else 1 (after printing why)
     */
    int sent(List<CompletableFuture<Void>> writes, String target) {
        CompletableFuture<Void> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        if (!await(all)) {
            lines.err("jipc connect: timed out after " + seconds() + " s sending to " + target);
            return 1;
        }
        for (CompletableFuture<Void> w : writes) {
            Throwable failure = w.handle((ok, f) -> f).join();
            while (failure instanceof CompletionException && failure.getCause() != null) {
                failure = failure.getCause();
            }
            if (failure != null) {
                String why = lost.get();
                lines.err("jipc connect: sending to " + target + " failed: " + Lines.describe(failure)
                    + (why == null ? "" : why));
                return 1;
            }
        }
        return 0;
    }

    /**
     * Waits for the {@code --count} events from {@code target}.
     * @return the exit code: 0 when they all arrived, else 1 (after printing why)
     */
    int finish(String target) {
        boolean done = await(received);
        int got = Math.min(seen.get(), count);
        String why = lost.get();
        if (why != null && got < count) {
            lines.err("jipc connect: connection to " + target + " closed after " + got + " of " + count + " events" + why);
            return 1;
        }
        if (!done) {
            lines.err("jipc connect: timed out after " + seconds() + " s waiting for events from " + target
                + ": received " + got + " of " + count);
            return 1;
        }
        return 0;
    }

    /** @return the {@code --timeout} as given, for messages */
    String seconds() {
        return timeout.stripTrailingZeros().toPlainString();
    }

    private long nanosLeft() {
        return Math.max(0, deadline - System.nanoTime());
    }
}
