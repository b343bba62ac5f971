package io.jipc.internal.connection;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The completion shared by every frame one drain of an {@link Outbox} writes, handed to the emits of those
 * frames as is: a minimal stage (like {@link CompletableFuture#minimalCompletionStage()}) that only the
 * connection completes, so no emitter can complete or cancel it for the others; {@link #toCompletableFuture()}
 * gives each caller a copy of its own. It is also the listener of the channel write it stands for, so a
 * batch costs one object, not a future, a mapping stage and a listener.
 *
 * <p>Fails only with the channel's own write errors (a closed channel, an I/O error), never with a jipc
 * protocol error: refusals fail their emit at once, outside any batch.
 */
public final class EmitBatch extends CompletableFuture<Void> implements GenericFutureListener<Future<? super Void>> {
    /** A batch already completed (a drain that wrote nothing). */
    static final EmitBatch DONE = new EmitBatch();

    static {
        DONE.succeed();
    }

    EmitBatch() {
    }

    /** Completes the batch (connection only). */
    void succeed() {
        super.complete(null);
    }

    /** Fails the batch (connection only). */
    void fail(Throwable cause) {
        super.completeExceptionally(cause);
    }

    /** Completes the batch as the channel write it stands for completed. */
    @Override
    public void operationComplete(Future<? super Void> f) {
        if (f.isSuccess()) {
            succeed();
        } else {
            fail(f.cause());
        }
    }

    /** @return a new future completed as this batch is, which the caller may use and complete as it likes */
    @Override
    public CompletableFuture<Void> toCompletableFuture() {
        CompletableFuture<Void> copy = new CompletableFuture<>();
        whenComplete((v, e) -> {
            if (e == null) {
                copy.complete(null);
            } else {
                copy.completeExceptionally(e);
            }
        });
        return copy;
    }

    @Override
    public boolean complete(Void value) {
        throw refused();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        throw refused();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        throw refused();
    }

    @Override
    public void obtrudeValue(Void value) {
        throw refused();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        throw refused();
    }

    @Override
    public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier, Executor executor) {
        throw refused();
    }

    @Override
    public CompletableFuture<Void> completeAsync(Supplier<? extends Void> supplier) {
        throw refused();
    }

    @Override
    public CompletableFuture<Void> orTimeout(long timeout, TimeUnit unit) {
        throw refused();
    }

    @Override
    public CompletableFuture<Void> completeOnTimeout(Void value, long timeout, TimeUnit unit) {
        throw refused();
    }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("an emit's completion stage is shared with the other emits of its "
            + "write batch and completed by jipc only; use toCompletableFuture() for a future of your own");
    }
}
