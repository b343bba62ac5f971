package io.jipc.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.IpcProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Small shared helpers of the hardening tests. */
final class Hardening {
    /** Upper bound of any single wait for an expected event. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private Hardening() {
    }

    /** @return how an error event is recorded: {@code "error ERR_IPC_…"} for coded errors, else class + message */
    static String describe(Throwable error) {
        if (error instanceof IpcProtocolException) {
            return "error " + ((IpcProtocolException) error).code();
        }
        return "error " + error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /**
     * Runs an emit and returns how it failed, whether it threw or returned a failed stage (the API
     * allows both), waiting up to {@link #WAIT} for the stage; null when it succeeded.
     */
    static Throwable failureOf(Supplier<CompletionStage<Void>> emit) {
        CompletionStage<Void> stage;
        try {
            stage = emit.get();
        } catch (RuntimeException e) {
            return e;
        }
        try {
            stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("emit neither completed nor failed within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @return how {@code stage} failed within {@code wait}; null if it succeeded or is still pending then */
    static Throwable failureWithin(CompletionStage<Void> stage, Duration wait) {
        try {
            stage.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @return the failure of an already completed stage, null if it succeeded or is still pending */
    static Throwable immediateFailure(CompletionStage<Void> stage) {
        CompletableFuture<Void> f = stage.toCompletableFuture();
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    /** @return the code of an {@link IpcProtocolException}, or null for anything else */
    static IpcProtocolException.Code codeOf(Throwable t) {
        return t instanceof IpcProtocolException ? ((IpcProtocolException) t).code() : null;
    }

    /** @return whether {@code path} is a Unix socket file (links not followed) */
    static boolean isSocket(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Asserts that no socket file is left anywhere under {@code dir} (after every instance closed). */
    static void assertNoSocketFiles(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> sockets = walk.filter(Hardening::isSocket).toList();
            assertThat(sockets).as("socket files left behind under %s", dir).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
