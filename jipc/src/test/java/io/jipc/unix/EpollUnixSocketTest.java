package io.jipc.unix;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The Unix-socket contract on native epoll (Linux); skipped where the native library does not load. */
class EpollUnixSocketTest extends UnixSocketContractTest {
    @BeforeAll
    static void needsEpoll() {
        Assumptions.assumeTrue(Epoll.isAvailable(), "native epoll not available here");
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
