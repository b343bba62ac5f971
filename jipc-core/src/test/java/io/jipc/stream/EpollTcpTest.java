package io.jipc.stream;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcServer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The stream contract over TCP on loopback, native epoll. */
class EpollTcpTest extends StreamContractTest {
    final TcpKind kind = new TcpKind("127.0.0.1");

    @BeforeAll
    static void prerequisites() throws Exception {
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

    @Override
    IpcServer serve(Ipc ipc, String name) {
        return kind.serve(ipc, name);
    }

    @Override
    IpcClient connect(Ipc ipc, String id, String name, Consumer<IpcClient> setup) {
        return kind.connect(ipc, id, name, setup);
    }
}
