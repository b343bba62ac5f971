package io.jipc;

/**
 * node-ipc's {@code config.interfaces}: the local end a network client binds before connecting.
 *
 * <p>Immutable. Honoured by TCP and TLS clients ({@link Ipc#connectToNet}), which bind this local
 * address/port before connecting. Any field may be {@code null} / {@code 0} for "not set".
 *
 * @param localAddress local address to bind, or {@code null}
 * @param localPort    local port to bind, or {@code 0}
 * @param family       4 or 6, or {@code 0} for either
 */
public record ClientInterface(String localAddress, int localPort, int family) {

    /** Checks the port and the family. */
    public ClientInterface {
        if (localPort < 0 || localPort > 65535) {
            throw new IllegalArgumentException("interfaces.localPort must be 0..65535 but was " + localPort);
        }
        if (family != 0 && family != 4 && family != 6) {
            throw new IllegalArgumentException("interfaces.family must be 0, 4 or 6 but was " + family);
        }
    }
}
