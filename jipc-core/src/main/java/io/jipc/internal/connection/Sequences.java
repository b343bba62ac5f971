package io.jipc.internal.connection;

import java.util.concurrent.atomic.AtomicLong;

/** Process-wide increasing numbers for {@link Connection#sequence()}. */
public final class Sequences {
    private static final AtomicLong NEXT = new AtomicLong();

    private Sequences() {
    }

    /** @return the next number */
    public static long next() {
        return NEXT.incrementAndGet();
    }
}
