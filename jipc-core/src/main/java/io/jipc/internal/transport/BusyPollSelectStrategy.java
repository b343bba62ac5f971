package io.jipc.internal.transport;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * An event loop's choice, each turn, between running what is ready and sleeping, that polls for a while
 * before it sleeps: when a loop has no tasks, it asks the kernel for ready sockets without blocking
 * ({@code selectNow}) until some are ready or {@code busyPollMicros} have passed, and only then blocks as
 * Netty's default does. An exchange whose next event comes within that time (a reply, the peer's close, the
 * next connection) then finds the loop awake, so neither side sleeps or is woken by the kernel for it.
 *
 * <p>A loop with tasks pending never polls: it looks once without blocking, as Netty's default does. A task
 * handed to the loop while it polls wakes it as it would a sleeping loop (its wake-up descriptor becomes
 * ready), and scheduled tasks run at most {@code busyPollMicros} late. Costs up to that much CPU time after
 * every burst of work. Stateless and thread-safe: one instance serves every loop of a group.
 */
public final class BusyPollSelectStrategy implements SelectStrategy, SelectStrategyFactory {
    private final long pollNanos;

    /** @param busyPollMicros how long an idle loop polls before it sleeps, at least 1 */
    public BusyPollSelectStrategy(int busyPollMicros) {
        if (busyPollMicros < 1) {
            throw new IllegalArgumentException("busyPollMicros must be at least 1 but was " + busyPollMicros);
        }
        this.pollNanos = busyPollMicros * 1_000L;
    }

    @Override
    public SelectStrategy newSelectStrategy() {
        return this;
    }

    /**
     * @return the number of ready sockets (then the loop handles them), 0 when tasks are pending and nothing is
     *         ready, or {@link SelectStrategy#SELECT} once the poll found nothing (then the loop blocks)
     */
    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            return ready;
        }
        long deadline = System.nanoTime() + pollNanos;
        do {
            Thread.onSpinWait();
            ready = selectNow.get();
            if (ready > 0) {
                return ready;
            }
        } while (System.nanoTime() - deadline < 0);
        return SelectStrategy.SELECT;
    }
}
