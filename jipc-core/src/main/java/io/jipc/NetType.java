package io.jipc;

/** The kind of network endpoint {@link Ipc#serveNet(String, int, NetType)} creates (node-ipc's UDPType). */
public enum NetType {
    /** A TCP stream server (TLS when {@link IpcConfig#tls()} is set). */
    TCP,
    /** A UDP endpoint on IPv4 ({@code 'udp4'}). */
    UDP4,
    /** A UDP endpoint on IPv6 ({@code 'udp6'}). */
    UDP6
}
