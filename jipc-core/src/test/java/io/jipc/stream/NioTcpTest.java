package io.jipc.stream;

/** The stream contract over TCP on loopback, JDK NIO. */
class NioTcpTest extends TcpContractTest {
    NioTcpTest() {
        super("127.0.0.1", false, Tls.NONE);
    }
}
