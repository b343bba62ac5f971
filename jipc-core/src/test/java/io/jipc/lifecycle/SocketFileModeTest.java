package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** readableAll / writableAll decide the socket file's mode; owner-only otherwise. */
@Timeout(30)
class SocketFileModeTest extends LifecycleTestBase {
    String modeOf(String name, boolean readable, boolean writable) throws Exception {
        fx.ipc(name, b -> b.readableAll(readable).writableAll(writable)).serve(fx.path(name)).start();
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(fx.path(name))));
    }

    @Test
    void modeFollowsTheOptions() throws Exception {
        assertThat(modeOf("none", false, false)).isEqualTo("rw-------");
        assertThat(modeOf("read", true, false)).isEqualTo("rw-r--r--");
        assertThat(modeOf("write", false, true)).isEqualTo("rw--w--w-");
        assertThat(modeOf("both", true, true)).isEqualTo("rw-rw-rw-");
    }
}
