package io.jipc.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A temp dir with one server socket path, the Ipc instances and raw peers a test makes, all closed
 * after each test, which then asserts that no socket file is left behind.
 */
abstract class RawPeerTestBase {
    @TempDir
    Path dir;
    final List<Ipc> instances = new ArrayList<>();
    final List<RawPeer> peers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (RawPeer p : peers) {
            p.close();
        }
        for (int i = instances.size() - 1; i >= 0; i--) {
            instances.get(i).close();
        }
        Hardening.assertNoSocketFiles(dir);
        assertThat(path()).doesNotExist();
    }

    /** @return the server socket path of this test */
    Path path() {
        return dir.resolve("srv.sock");
    }
}
