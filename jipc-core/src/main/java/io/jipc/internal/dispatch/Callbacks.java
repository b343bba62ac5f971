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
}
