package io.jipc.cli;

import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link Writer} that collects complete lines and lets a test wait for one: the tests synchronise
 * on output, never on sleeps.
 */
final class LineSink extends Writer {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                int end = partial.length();
                if (end > 0 && partial.charAt(end - 1) == '\r') {
                    partial.setLength(end - 1);
                }
                lines.add(partial.toString());
                partial.setLength(0);
                notifyAll();
            } else {
                partial.append(c);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** @return the complete lines so far */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits until a line matches.
     * @return that line
     * @throws AssertionError naming the lines seen when none matches within {@code timeout}
     */
    synchronized String await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (match.test(lines.get(checked))) {
                    return lines.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching line within " + timeout + "; lines: " + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
