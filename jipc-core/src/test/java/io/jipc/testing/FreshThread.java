package io.jipc.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs test code on a new platform thread, so with empty per-thread caches (frame scratch, recycled frames). */
public final class FreshThread {
    private FreshThread() {
    }

    /** Runs {@code body} on a new thread and waits up to 20 s; an assertion error inside is rethrown as is. */
    public static void run(Runnable body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Thread(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "fresh-thread").start();
        try {
            done.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e;
        }
    }
}
