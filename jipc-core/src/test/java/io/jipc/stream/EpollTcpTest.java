package io.jipc.stream;

/** The stream contract over TCP on loopback, native epoll. */
class EpollTcpTest extends TcpContractTest {
    EpollTcpTest() {
        super("127.0.0.1", true, Tls.NONE);
    }
}
