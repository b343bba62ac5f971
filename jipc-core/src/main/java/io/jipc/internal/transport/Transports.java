package io.jipc.internal.transport;

import io.netty.channel.epoll.Epoll;

/**
 * The one place that chooses between native and JDK channels: native epoll when its library loads
 * (Linux x86_64/aarch64) and the caller prefers it, unless the system property
 * {@code jipc.transport=nio} forces the JDK one.
 */
public final class Transports {
    private Transports() {
    }

    /**
     * @param preferNative use epoll when available
     * @return the flavour to use on this machine
     */
    public static IoFlavor select(boolean preferNative) {
        String forced = System.getProperty("jipc.transport", "");
        if (!preferNative || "nio".equalsIgnoreCase(forced)) {
            return NioFlavor.INSTANCE;
        }
        return nativeAvailable() ? EpollFlavor.INSTANCE : NioFlavor.INSTANCE;
    }

    private static boolean nativeAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
