package io.jipc.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcServer;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Endpoint naming for Unix-socket runs of the contract: {@code <tempdir>/<name>.sock}. */
final class UnixSocketKind {
    private UnixSocketKind() {
    }

    static IpcServer serve(StreamContractTest t, Ipc ipc, String name) {
        return ipc.serve(t.path(name));
    }

    static IpcClient connect(StreamContractTest t, Ipc ipc, String id, String name, Consumer<IpcClient> setup) {
        return ipc.connectTo(id, t.path(name), setup);
    }

    static void assertExists(StreamContractTest t, String name, boolean exists) {
        if (exists) {
            assertThat(Path.of(t.path(name))).exists();
        } else {
            assertThat(Path.of(t.path(name))).doesNotExist();
        }
    }
}
