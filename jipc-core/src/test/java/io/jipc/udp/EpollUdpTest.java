package io.jipc.udp;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** UDP endpoints on Netty's native epoll datagram channels. */
class EpollUdpTest extends UdpContractTest {
    @BeforeAll
    static void prerequisites() {
        Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "native epoll not available here");
    }

    @Override
    boolean preferNative() {
        return true;
    }

    @Override
    String expectedTransport() {
        return "epoll";
    }
}
