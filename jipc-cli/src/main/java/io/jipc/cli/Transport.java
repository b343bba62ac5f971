package io.jipc.cli;

import io.jipc.IpcConfig;
import io.jipc.NetType;
import io.jipc.TlsOptions;

/**
 * The validated transport of one {@code serve} or {@code connect} run: a Unix socket, TCP (TLS when
 * {@link #tls()} is set) at {@link #address()}, or a UDP endpoint. For UDP, {@code address} is the
 * local address for {@code serve} and the target for {@code connect}; {@link #bind()} is
 * {@code connect}'s local port.
 */
record Transport(NetType type, HostPort address, TlsOptions tls, int bind) {
    /** Unix socket: the commands' own --path/--id/ID rules apply. */
    static final Transport UNIX = new Transport(null, null, null, 0);

    boolean isUnix() {
        return type == null;
    }

    boolean isUdp() {
        return type == NetType.UDP4 || type == NetType.UDP6;
    }

    /** @return {@code tcp}, {@code tls}, {@code udp4}, {@code udp6} or {@code unix} */
    String protocol() {
        return isUnix() ? "unix" : tls != null ? "tls" : type.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code protocol host:port}, e.g. {@code "tls 127.0.0.1:8000"}, {@code "udp6 [::1]:9000"}. */
    String describe(HostPort where) {
        return protocol() + " " + where;
    }

    /** {@code builder} with this transport's TLS options set (none for plain transports). */
    IpcConfig.Builder configure(IpcConfig.Builder builder) {
        return tls == null ? builder : builder.tls(tls);
    }

    /**
     * A library message with its option names ({@code tls.private}, …) replaced by the flags that set
     * them, so a bad PEM file is reported as {@code --key: …}.
     */
    static String flagNames(String message) {
        return message.replace("tls.private", "--key").replace("tls.public", "--cert")
            .replace("tls.trustedConnections", "--ca");
    }
}
