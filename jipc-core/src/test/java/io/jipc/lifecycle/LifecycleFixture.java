package io.jipc.lifecycle;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Creates Ipc instances rooted in a test's temp dir and closes them all afterwards. */
final class LifecycleFixture implements AutoCloseable {
    private final Path dir;
    private final List<Ipc> instances = new ArrayList<>();

    LifecycleFixture(Path dir) {
        this.dir = dir;
    }

    Ipc ipc(String id, UnaryOperator<IpcConfig.Builder> options) {
        Ipc ipc = new Ipc(options.apply(IpcConfig.builder().id(id).socketRoot(dir + "/").silent(true)).build());
        instances.add(ipc);
        return ipc;
    }

    String path(String name) {
        return dir.resolve(name + ".sock").toString();
    }

    @Override
    public void close() {
        instances.forEach(Ipc::close);
    }
}
