package io.jipc;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Thread-safe event log for tests: handlers append lines; tests wait for lines to appear. */
public final class Recorder {
    private final List<String> lines = new ArrayList<>();

    /** Appends one line and wakes waiters. */
    public synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    /** @return a snapshot of all lines */
    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** Waits until {@code condition} holds for the lines, failing after {@code timeout}. */
    public synchronized List<String> await(Predicate<List<String>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(lines)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out after " + timeout + " waiting for " + what + "; events so far: " + lines);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        return new ArrayList<>(lines);
    }

    /** Waits until a line equal to {@code line} has been added. */
    public List<String> awaitLine(String line, Duration timeout) {
        return await(l -> l.contains(line), timeout, "\"" + line + "\"");
    }

    /** Waits until at least {@code n} lines have been added. */
    public List<String> awaitCount(int n, Duration timeout) {
        return await(l -> l.size() >= n, timeout, n + " events");
    }
}
