package io.jipc.internal.transport;

import io.netty.channel.epoll.Epoll;

/**
 * The one place that chooses between native and JDK transports. Native epoll when its library loads
 * (Linux x86_64/aarch64) unless the system property {@code jipc.transport=nio} forces the JDK one.
 */
public final class Transports {
    private Transports() {
    }

    /** @return the Unix-socket transport to use on this machine */
    public static UnixTransport unix() {
        String forced = System.getProperty("jipc.transport", "");
        if ("nio".equalsIgnoreCase(forced)) {
            return NioUnixTransport.INSTANCE;
        }
        if ("epoll".equalsIgnoreCase(forced)) {
            Epoll.ensureAvailability();
            return EpollUnixTransport.INSTANCE;
        }
        return nativeAvailable() ? EpollUnixTransport.INSTANCE : NioUnixTransport.INSTANCE;
    }

    /** @return the JDK NIO transport, regardless of what is available */
    public static UnixTransport nio() {
        return NioUnixTransport.INSTANCE;
    }

    /** @return native epoll, or {@code null} when it is not available here */
    public static UnixTransport epollOrNull() {
        return nativeAvailable() ? EpollUnixTransport.INSTANCE : null;
    }

    private static boolean nativeAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
