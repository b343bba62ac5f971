package io.jipc.stream;

/** The Unix-socket contract on native epoll (Linux); skipped where the native library does not load. */
class EpollUnixSocketTest extends StreamContractTest {
    @Override
    io.jipc.IpcServer serve(io.jipc.Ipc ipc, String name) {
        return UnixSocketKind.serve(this, ipc, name);
    }

    @Override
    io.jipc.IpcClient connect(io.jipc.Ipc ipc, String id, String name,
                              java.util.function.Consumer<io.jipc.IpcClient> setup) {
        return UnixSocketKind.connect(this, ipc, id, name, setup);
    }

    @Override
    void assertEndpointExists(String name, boolean exists) {
        UnixSocketKind.assertExists(this, name, exists);
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
