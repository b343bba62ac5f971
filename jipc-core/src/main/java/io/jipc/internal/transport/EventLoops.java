package io.jipc.internal.transport;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of one {@code Ipc} instance, created on first use and shut down by {@link #close()}.
 * Threads are non-daemon, so a JVM with a running server stays up, as a Node process does. Thread-safe.
 */
public final class EventLoops implements AutoCloseable {
    private final IoFlavor flavor;
    private final int threads;
    private final int busyPollMicros;
    private EventLoopGroup group;
    private boolean closed;

    /**
     * @param flavor         the channel flavour whose handlers the loops run
     * @param threads        number of event-loop threads, at least 1
     * @param busyPollMicros how long an idle loop polls before it sleeps ({@link BusyPollSelectStrategy}); 0: never
     */
    public EventLoops(IoFlavor flavor, int threads, int busyPollMicros) {
        this.flavor = flavor;
        this.threads = threads;
        this.busyPollMicros = busyPollMicros;
    }

    /** @return the channel flavour these loops drive */
    public IoFlavor flavor() {
        return flavor;
    }

    /** @return the group, created on first call @throws IllegalStateException after close */
    public synchronized EventLoopGroup group() {
        if (closed) {
            throw new IllegalStateException("this Ipc instance is closed");
        }
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("jipc-" + flavor.name(), false), flavor.ioHandlerFactory(
                    busyPollMicros > 0 ? new BusyPollSelectStrategy(busyPollMicros) : DefaultSelectStrategyFactory.INSTANCE));
        }
        return group;
    }

    /**
     * Waits until {@code loop} has been through a select since now. The JDK closes a channel that is
     * registered with a selector (and frees its port) only when that selector next runs; a task
     * scheduled 1 ms ahead makes the loop select (with a timeout) before running it.
     */
    public static void awaitSelectorTurn(io.netty.channel.EventLoop loop) {
        for (int i = 0; i < 2; i++) {
            loop.schedule(() -> { }, 1, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Shuts the loops down and waits up to 5 s for them to finish. Idempotent. */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            closed = true;
            g = group;
            group = null;
        }
        if (g != null) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
