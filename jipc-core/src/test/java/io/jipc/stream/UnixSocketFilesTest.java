package io.jipc.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcException;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What only Unix sockets have: default paths, socket files, stale-file handling, the path length limit. */
@Timeout(60)
class UnixSocketFilesTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    final List<Ipc> instances = new ArrayList<>();

    @AfterEach
    void closeAll() {
        instances.forEach(Ipc::close);
    }

    Ipc ipc(String id) {
        Ipc ipc = new Ipc(IpcConfig.builder().id(id).socketRoot(dir + "/").appspace("t.").silent(true).retry(50).build());
        instances.add(ipc);
        return ipc;
    }

    String path(String name) {
        return dir.resolve(name + ".sock").toString();
    }

    @Test
    void defaultPathIsSocketRootPlusAppspacePlusId() throws Exception {
        Ipc world = ipc("world");
        IpcServer server = world.serve().start();
        assertThat(server.path()).isEqualTo(dir.resolve("t.world"));
        Recorder got = new Recorder();
        world.server().on("ping", (d, s) -> got.add("ping " + d));
        ipc("hello").connectTo("world").emit("ping", 1);
        got.awaitLine("ping 1", WAIT);
        server.stop();
        assertThat(dir.resolve("t.world")).doesNotExist();
    }


    @Test
    void staleSocketIsReplacedButOtherFilesAreNeverRemoved() throws Exception {
        Ipc first = ipc("a");
        first.serve(path("stale")).start();
        // a second server on the same path: unlink (default) removes the socket file and binds anew
        Ipc second = ipc("b");
        second.serve(path("stale")).start();
        second.server().stop();
        Path regular = dir.resolve("regular.sock");
        Files.writeString(regular, "keep me");
        Ipc third = ipc("c");
        assertThatThrownBy(() -> third.serve(regular.toString()).start())
            .isInstanceOf(IpcException.class).hasMessageContaining("exists and is not a socket");
        assertThat(Files.readString(regular)).isEqualTo("keep me");
        Files.delete(regular);
        first.server().stop();
    }


    @Test
    void tooLongPathIsRefusedWithLengthAndLimit() {
        Ipc ipc = ipc("x");
        String longPath = dir.resolve("x".repeat(120) + ".sock").toString();
        assertThatThrownBy(() -> ipc.serve(longPath))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("socket path too long").hasMessageContaining("max=107");
    }


    @Test
    void modernDefaultSocketRootIsPerUserAndLegacyIsTmp() {
        assertThat(IpcConfig.builder(io.jipc.PayloadProfile.LEGACY).build().socketRoot()).isEqualTo("/tmp/");
        String modern = IpcConfig.defaults().socketRoot();
        assertThat(modern).endsWith("/").satisfiesAnyOf(
            r -> assertThat(r).endsWith("/node-ipc/"), r -> assertThat(r).containsPattern("/node-ipc-[^/]+/$"));
    }
}
