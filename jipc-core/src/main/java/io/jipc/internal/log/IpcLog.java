package io.jipc.internal.log;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log sink of one {@code Ipc} instance: nothing when silent, the user's {@code logger} when set,
 * SLF4J (logger {@code io.jipc}) otherwise. Lines never contain payloads. Thread-safe.
 */
public final class IpcLog {
    private static final Logger SLF4J = LoggerFactory.getLogger("io.jipc");
    private final boolean silent;
    private final Consumer<String> sink;

    /**
     * @param silent log nothing
     * @param sink   user sink, or {@code null} for SLF4J
     */
    public IpcLog(boolean silent, Consumer<String> sink) {
        this.silent = silent;
        this.sink = sink;
    }

    /** Logs a routine event (SLF4J debug). */
    public void debug(String line) {
        if (silent) {
            return;
        }
        if (sink != null) {
            deliver(line);
        } else if (SLF4J.isDebugEnabled()) {
            SLF4J.debug(line);
        }
    }

    /** Logs something a user should see (SLF4J warn). */
    public void warn(String line, Throwable cause) {
        if (silent) {
            return;
        }
        if (sink != null) {
            deliver(cause == null ? line : line + ": " + cause);
        } else {
            SLF4J.warn(line, cause);
        }
    }

    private void deliver(String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            SLF4J.warn("user logger threw; line was: {}", line, e);
        }
    }
}
