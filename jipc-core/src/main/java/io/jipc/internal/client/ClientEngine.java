package io.jipc.internal.client;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.connection.Connection;
import io.jipc.internal.connection.ConnectionListener;
import io.jipc.internal.connection.ChannelHandlerFactory;
import io.jipc.internal.connection.Pipelines;
import io.jipc.internal.transport.EventLoops;
import io.jipc.internal.transport.StreamEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.jipc.internal.codec.FrameSink;
import io.jipc.internal.codec.RecordRoute;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client connection with node-ipc's reconnect rules (research §3.3): after a drop, up to
 * {@code maxRetries} attempts (a failed first connect: 1 + maxRetries), {@code retry} ms apart (or with opt-in backoff); the counter resets
 * on every connect; {@code stopRetrying} is read live at each close and when each retry timer fires.
 *
 * <p>Unlike node-ipc, frames emitted while not connected are queued (up to {@code maxPendingBytes})
 * and written in order once connected, and {@link #disconnect()} flushes what was emitted before it
 * ({@link #abort()} drops it, as node-ipc does). In {@code sync} mode at most one frame is in flight:
 * the next is written when any message (raw: any chunk) arrives from the server (node-ipc §1.7).
 * All state changes run on one event loop; {@link #send} may be called from any thread.
 */
public final class ClientEngine {
    private final EventLoops loops;
    private final EventLoop loop;
    private final EngineSettings settings;
    private final StreamEndpoint endpoint;
    private final ChannelHandlerFactory tls;
    private final ClientEvents events;
    private final BooleanSupplier stopRetrying;
    private final PendingWrites pending;
    private final ConnectionListener channelListener = new ChannelEvents();

    private int retriesRemaining;
    /** Attempts failed since the last connect (for backoff), loop-confined. */
    private int failedAttempts;
    /** sync mode: a frame was written and no message has arrived since; guarded by {@code pending}. */
    private boolean awaitingReply;
    private volatile boolean explicitlyClosed;
    private volatile boolean destroyed;
    private ScheduledFuture<?> retryTimer;
    /** The last channel that counted as connected (loop-confined). */
    private Channel announced;
    /**
     * The connected connection, null while not connected. Written under {@code pending}'s lock, and only once
     * the frames queued before it are handed to it; read without the lock where a snapshot does (see
     * {@link #send}).
     */
    private volatile Connection active;

    /** Hands the encoder's frames to {@link #send}, a lent one to the connection at once ({@link #sends()}). */
    private final FrameSink<CompletableFuture<Void>> sends = new FrameSink<>() {
        @Override
        public CompletableFuture<Void> takeCopy(ByteBuf lent) {
            Connection direct = unsynchronizedTarget();
            return direct == null ? null : direct.writeCopy(lent);
        }

        @Override
        public CompletableFuture<Void> take(ByteBuf frame) {
            return send(frame);
        }
    };

    /** As {@link #sends}, for {@link #offer}. */
    private final FrameSink<Boolean> offers = new FrameSink<>() {
        @Override
        public Boolean takeCopy(ByteBuf lent) {
            Connection direct = unsynchronizedTarget();
            return direct == null ? null : direct.offerCopy(lent);
        }

        @Override
        public Boolean take(ByteBuf frame) {
            return offer(frame);
        }
    };

    /**
     * @param loops        event loops
     * @param settings     validated settings
     * @param endpoint     where the server is
     * @param tls          makes the TLS handler of each new channel, or {@code null} for plain
     * @param events       receives lifecycle and messages
     * @param stopRetrying read at each close: true stops reconnecting
     */
    public ClientEngine(EventLoops loops, EngineSettings settings, StreamEndpoint endpoint, ChannelHandlerFactory tls,
                        ClientEvents events, BooleanSupplier stopRetrying) {
        this.loops = loops;
        this.loop = loops.group().next();
        this.settings = settings;
        this.endpoint = endpoint;
        this.tls = tls;
        this.events = events;
        this.stopRetrying = stopRetrying;
        this.pending = new PendingWrites(settings.maxPendingBytes());
        this.retriesRemaining = settings.retry().maxRetries();
    }

    /** @return where the server is */
    public StreamEndpoint endpoint() {
        return endpoint;
    }

    /** Runs {@code task} on the loop every connection of this client uses (its handlers' thread). */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /** Runs {@code task} on that loop once {@code delay} has passed. @return cancels it */
    public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
        return loop.schedule(task, delay, unit);
    }

    /** Starts the first connection attempt (asynchronously). */
    public void connect() {
        loop.execute(this::attempt);
    }

    /** @return whether connected and below the outbound bound */
    public boolean isWritable() {
        Connection c = active;
        return c != null && c.isWritable();
    }

    /** @return bytes emitted and not yet taken by the kernel: queued while not connected (or held in sync mode) plus the connection's queue */
    public long writableLength() {
        Connection c = active; // a snapshot: frames handed over at a connect may be counted on both sides once
        return pending.bytes() + (c == null ? 0 : c.queuedBytes());
    }

    /** @return whether a connection is open now */
    public boolean isConnected() {
        return active != null;
    }

    /**
     * Writes one encoded frame now if connected, or queues it until the next connect.
     * Takes ownership of {@code frame}.
     * @return completes when the bytes are written; fails when the client is destroyed first or the
     *         queue is full
     */
    public CompletableFuture<Void> send(ByteBuf frame) {
        Connection direct = unsynchronizedTarget();
        if (direct != null) {
            return direct.write(frame);
        }
        CompletableFuture<Void> done;
        synchronized (pending) {
            Connection now = straightTo();
            if (now != null) {
                return now.write(frame);
            }
            done = new CompletableFuture<>();
            if (destroyed || explicitlyClosed) {
                frame.release();
                done.completeExceptionally(new IllegalStateException("client for " + endpoint.describe() + " is disconnected"));
            } else {
                pending.add(frame, done);
            }
        }
        return done;
    }

    /**
     * As {@link #send}, with no future to complete: while connected (and not waiting for a sync reply) the
     * frame goes straight to the connection's {@link Connection#offer}; otherwise it is queued as {@code send}
     * queues.
     * @return whether the frame was queued; false when refused (released): backpressure, the pending queue
     *         is full, or the client is stopped
     */
    public boolean offer(ByteBuf frame) {
        Connection direct = unsynchronizedTarget();
        if (direct != null) {
            return direct.offer(frame);
        }
        synchronized (pending) {
            Connection now = straightTo();
            if (now != null) {
                return now.offer(frame);
            }
        }
        return !send(frame).isCompletedExceptionally(); // not connected: the rare path may allocate
    }

    /**
     * Sends a frame as {@link #send} does, from the encoder: lent while connected (copied into the connection's
     * outbox at once), owned otherwise.
     */
    public FrameSink<CompletableFuture<Void>> sends() {
        return sends;
    }

    /** Offers a frame as {@link #offer} does, from the encoder, as {@link #sends()}. */
    public FrameSink<Boolean> offers() {
        return offers;
    }

    /**
     * The connection a frame may be written to without taking {@code pending}'s lock (a lock per emit was a
     * tenth of a flood's sending CPU): outside sync mode, the connected one. {@code active} is set only after
     * the frames queued while not connected were handed to it, so a frame written here follows them; one
     * written as the connection closes fails as it would under the lock (the lock never kept a connection open).
     * @return that connection, or null when the caller must take the lock and decide there
     */
    private Connection unsynchronizedTarget() {
        return settings.sync() ? null : active;
    }

    /**
     * @return the connection a frame may be written to now, or null when it must be queued (not connected, or
     *         sync mode waiting for a reply or behind queued frames); guarded by {@code pending}. Sync mode
     *         notes that a reply is now awaited.
     */
    private Connection straightTo() {
        if (active != null && !(settings.sync() && (awaitingReply || pending.size() > 0))) {
            awaitingReply = settings.sync();
            return active;
        }
        return null;
    }

    /**
     * Stops for good: no more attempts; an open connection is closed after everything emitted so far
     * is flushed; queued frames fail. Fires {@code disconnected} (if connected) and {@code destroyed}.
     * @return completes when closed
     */
    public CompletableFuture<Void> disconnect() {
        return stop(true);
    }

    /**
     * Stops for good at once, like node-ipc's {@code disconnect}: frames not yet written are dropped
     * (their emits fail). Fires {@code disconnected} and {@code destroyed}.
     * @return completes when closed
     */
    public CompletableFuture<Void> abort() {
        return stop(false);
    }

    private CompletableFuture<Void> stop(boolean flush) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            explicitlyClosed = true;
            cancelRetry();
            Connection c;
            synchronized (pending) {
                c = active;
            }
            if (c != null) {
                (flush ? c.closeAfterFlush() : c.close()).addListener(f -> done.complete(null));
            } else {
                if (!destroyed) {
                    destroy();
                }
                done.complete(null);
            }
        });
        return done;
    }

    private void attempt() {
        retryTimer = null;
        if (explicitlyClosed || destroyed) {
            return;
        }
        Bootstrap b = new Bootstrap()
            .group(loop)
            .channel(endpoint.channel(loops.flavor()))
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    Pipelines.install(ch, settings, tls == null ? null : tls.newHandler(ch), channelListener);
                }
            });
        endpoint.configure(b);
        ChannelFuture f = endpoint.connect(b, loops.flavor());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                if (!destroyed) {
                    events.error(done.cause());
                    closed();
                }
                return;
            }
        });
    }

    /** node-ipc's close handler: retry or give up. Runs on the loop. */
    private void closed() {
        if (explicitlyClosed || stopRetrying.getAsBoolean() || retriesRemaining < 1) {
            destroy();
            return;
        }
        long delay = settings.retry().delayMillis(failedAttempts++);
        retryTimer = loop.schedule(() -> {
            if (stopRetrying.getAsBoolean()) {
                retryTimer = null;
                destroy();
                return;
            }
            if (retriesRemaining != Integer.MAX_VALUE) {
                retriesRemaining--;
            }
            attempt();
        }, delay, TimeUnit.MILLISECONDS);
        events.disconnected();
    }

    private void destroy() {
        destroyed = true;
        synchronized (pending) {
            if (pending.size() > 0) { // the exception (and its stack trace) only when some emit is waiting for it
                pending.failAll(new IllegalStateException("client for " + endpoint.describe() + " was destroyed before sending"));
            }
        }
        events.disconnected();
        events.destroyed();
    }

    /** Writes what may go now: everything queued, or in sync mode the next frame. Holds {@code pending}. */
    private void release(Connection c) {
        if (!settings.sync()) {
            pending.drainTo(c);
        } else if (!awaitingReply && pending.size() > 0) {
            awaitingReply = true;
            pending.writeOne(c);
        }
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    /** Events of the current channel. */
    private final class ChannelEvents implements ConnectionListener {
        @Override
        public void connected(Connection c) {
            if (destroyed) {
                c.close();
                return;
            }
            retriesRemaining = settings.retry().maxRetries();
            failedAttempts = 0;
            announced = c.channel();
            synchronized (pending) {
                awaitingReply = false;
                release(c); // before active is set: a send that reads it without the lock comes after these
                active = c;
            }
            events.connected();
        }

        @Override
        public void message(Connection c, WireMessage m) {
            replied(c);
            events.message(m);
        }

        @Override
        public void raw(Connection c, ByteBuf bytes) {
            replied(c);
            events.raw(bytes);
        }

        /** sync mode: anything from the server releases the next queued frame. */
        private void replied(Connection c) {
            if (settings.sync()) {
                synchronized (pending) {
                    awaitingReply = false;
                    if (active == c) {
                        release(c);
                    }
                }
            }
        }

        @Override
        public void failure(Connection c, DecodeFailure f) {
            events.failure(f);
        }

        @Override
        public void writabilityChanged(Connection c, boolean writable) {
            events.writabilityChanged(writable);
        }

        @Override
        public RecordRoute.Table recordRoutes() {
            return events.recordRoutes();
        }

        /** Closed before it counted as connected (e.g. a failed TLS handshake, already reported): a failed attempt. */
        @Override
        public void closedBeforeConnect(Connection c) {
            if (!destroyed) {
                closed();
            }
        }

        @Override
        public void error(Connection c, Throwable cause) {
            events.error(cause);
        }

        @Override
        public void disconnected(Connection c) {
            synchronized (pending) {
                active = null;
            }
            if (!destroyed) {
                closed();
            }
        }
    }
}
