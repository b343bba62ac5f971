package io.jipc.stream;

/** The stream contract over mutual TLS (both certificates minted by openssl) on loopback, native epoll, OpenSSL (netty-tcnative). */
class EpollTlsTest extends TcpContractTest {
    EpollTlsTest() {
        super("127.0.0.1", true, Tls.MUTUAL);
    }
}
