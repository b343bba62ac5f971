package io.jipc.internal.transport;

/**
 * Netty system properties jipc gives a default of its own, set before Netty reads them (Netty reads each once,
 * when its class initialises) and only when the application has not set them itself.
 *
 * <ul>
 *   <li>{@value #JFR} = {@code false}: Netty 4.2's buffer allocator asks JFR, at its first chunk allocation,
 *       whether its allocation events are enabled. That first question loads JFR's event metadata, about
 *       80 ms on a 2-core machine, even with no recording running, and it lands on the first message a
 *       process sends or receives. Those events report Netty's internal chunks; jipc's own figures
 *       ({@code writableLength}, the benchmarks) do not use them. A JVM started with
 *       {@code -Dio.netty.jfr.enabled=true} keeps them.</li>
 * </ul>
 *
 * Thread-safe and idempotent. When Netty was initialised before jipc (an application that used Netty
 * first), the property has no effect and nothing else changes.
 */
public final class NettyDefaults {
    /** The property that turns Netty's JFR events on or off. */
    public static final String JFR = "io.netty.jfr.enabled";

    private NettyDefaults() {
    }

    /** Sets each default the application has not set; a security manager that refuses it is ignored. */
    public static void apply() {
        try {
            if (System.getProperty(JFR) == null) {
                System.setProperty(JFR, "false");
            }
        } catch (SecurityException refused) {
            // keep Netty's own default
        }
    }
}
