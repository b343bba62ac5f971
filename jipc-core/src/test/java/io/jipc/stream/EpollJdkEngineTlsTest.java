package io.jipc.stream;

/** The stream contract over mutual TLS on loopback, native epoll, with the JDK's SSLEngine instead of OpenSSL. */
class EpollJdkEngineTlsTest extends TcpContractTest {
    EpollJdkEngineTlsTest() {
        super("127.0.0.1", true, Tls.MUTUAL_JDK_ENGINE);
    }
}
