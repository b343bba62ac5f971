package io.jipc.stream;

/** The stream contract over TCP on IPv6 loopback (::1), native epoll. */
class EpollTcp6Test extends TcpContractTest {
    EpollTcp6Test() {
        super("::1", true, Tls.NONE);
    }
}
