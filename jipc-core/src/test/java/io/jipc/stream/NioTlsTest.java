package io.jipc.stream;

/** The stream contract over server-authenticated TLS (host name localhost verified) on loopback, JDK NIO, JDK SSLEngine. */
class NioTlsTest extends TcpContractTest {
    NioTlsTest() {
        super("localhost", false, Tls.SERVER_AUTH_JDK_ENGINE);
    }
}
