package io.jipc.internal.dispatch;

/** Helpers that keep user callbacks from breaking an I/O thread. */
public final class Callbacks {
    private Callbacks() {
    }

    /**
     * Rethrows {@code t} if the JVM itself is failing ({@link VirtualMachineError}: out of memory,
     * internal error); returns normally for everything a callback may throw and be forgiven for.
     */
    public static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
    }

    /**
     * @param task   user code to run on an I/O thread
     * @param report gets whatever {@code task} throws (fatal JVM errors are rethrown first, by the reporter)
     * @return {@code task}, made unable to break the thread that runs it
     * @throws NullPointerException when {@code task} is null
     */
    public static Runnable guarded(Runnable task, java.util.function.Consumer<Throwable> report) {
        java.util.Objects.requireNonNull(task, "task");
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                report.accept(t);
            }
        };
    }
}
