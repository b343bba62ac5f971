package io.jipc.hardening;

import static io.jipc.IpcProtocolException.Code.ERR_IPC_SOCKET_ROOT;
import static io.jipc.hardening.Hardening.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secureSocketRoot}: a server on the default path ({@code socketRoot + appspace + id}) creates
 * the root 0700, tightens an existing one to 0700, refuses a root that is a symlink, not a directory,
 * or owned by someone else ({@code ERR_IPC_SOCKET_ROOT}), and leaves directories other than the root
 * alone.
 */
@Timeout(30)
class SecureSocketRootTest {
    @TempDir
    Path dir;
    final List<Ipc> instances = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (int i = instances.size() - 1; i >= 0; i--) {
            instances.get(i).close();
        }
        Hardening.assertNoSocketFiles(dir);
    }

    Ipc ipc(Path root, boolean secure) {
        Ipc ipc = new Ipc(IpcConfig.builder().id("svc").socketRoot(root + "/").appspace("app.").silent(true)
            .retry(50).maxRetries(0).secureSocketRoot(secure).build());
        instances.add(ipc);
        return ipc;
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    static void mkdir(Path p, String mode) throws Exception {
        Files.createDirectory(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode)); // not subject to the umask
    }

    /** A client on the default path reaches the server: a round trip. */
    void roundTrip(Path root) throws Exception {
        Recorder got = new Recorder();
        IpcClient c = ipc(root, true).connectTo("svc", x -> x.on("pong", d -> got.add("pong " + d.asString())));
        c.emit("ping", "hi");
        got.awaitLine("pong hi", WAIT);
    }

    static IpcServer withPong(IpcServer s) {
        return s.on("ping", (d, x) -> x.emit("pong", d));
    }

    /** @return how {@code serve().start()} failed */
    static Throwable startFailure(Ipc ipc) {
        return catchThrowable(() -> ipc.serve().start());
    }

    static void assertSocketRootError(Throwable t) {
        assertThat(t).isInstanceOf(IpcProtocolException.class);
        assertThat(((IpcProtocolException) t).code()).isEqualTo(ERR_IPC_SOCKET_ROOT);
    }

    @Test
    void defaultPathCreatesTheRootOwnerOnly() throws Exception {
        Path root = dir.resolve("root");
        Ipc ipc = ipc(root, true);
        IpcServer s = withPong(ipc.serve()).start();
        Path socket = root.resolve("app.svc");
        assertThat(s.path()).isEqualTo(socket);
        assertThat(Hardening.isSocket(socket)).isTrue();
        assertThat(mode(root)).isEqualTo("rwx------");
        roundTrip(root);
        s.stop();
        assertThat(socket).as("socket file removed on stop").doesNotExist();
    }

    @Test
    void existingLooseRootIsTightenedTo0700() throws Exception {
        Path root = dir.resolve("root");
        mkdir(root, "rwxr-xr-x");
        IpcServer s = withPong(ipc(root, true).serve()).start();
        assertThat(mode(root)).isEqualTo("rwx------");
        roundTrip(root);
        s.stop();
        assertThat(root.resolve("app.svc")).doesNotExist();
    }

    @Test
    void withoutSecureSocketRootTheRootIsLeftAsItIs() throws Exception {
        Path root = dir.resolve("root");
        mkdir(root, "rwxr-xr-x");
        IpcServer s = ipc(root, false).serve().start();
        assertThat(mode(root)).isEqualTo("rwxr-xr-x");
        s.stop();
        assertThat(root.resolve("app.svc")).doesNotExist();
    }

    @Test
    void symlinkedRootIsRefused() throws Exception {
        Path real = dir.resolve("real");
        mkdir(real, "rwx------");
        Path root = Files.createSymbolicLink(dir.resolve("root"), real);
        Ipc ipc = ipc(root, true);
        assertSocketRootError(startFailure(ipc));
        assertThat(ipc.server().isListening()).isFalse();
        try (Stream<Path> files = Files.list(real)) {
            assertThat(files.toList()).as("nothing created behind the link").isEmpty();
        }
        assertThat(Files.isSymbolicLink(root)).isTrue();
        assertThat(mode(real)).isEqualTo("rwx------");
    }

    @Test
    void symlinkToALooseDirectoryIsRefusedAndTheTargetIsNotTouched() throws Exception {
        Path real = dir.resolve("shared");
        mkdir(real, "rwxrwxrwx");
        Path root = Files.createSymbolicLink(dir.resolve("root"), real);
        assertSocketRootError(startFailure(ipc(root, true)));
        assertThat(mode(real)).as("link target's mode unchanged").isEqualTo("rwxrwxrwx");
    }

    @Test
    void rootThatIsAFileIsRefused() throws Exception {
        Path root = Files.writeString(dir.resolve("root"), "not a directory");
        assertSocketRootError(startFailure(ipc(root, true)));
        assertThat(Files.readString(root)).isEqualTo("not a directory");
    }

    /** A path whose parent is not the socket root: neither its directory nor the root is touched. */
    @Test
    void aPathOutsideTheRootIsNotTouched() throws Exception {
        Path root = dir.resolve("root");
        mkdir(root, "rwxr-xr-x");
        Path other = dir.resolve("other");
        mkdir(other, "rwxr-xr-x");
        Path nested = root.resolve("sub");
        mkdir(nested, "rwxr-xr-x");
        Ipc ipc = ipc(root, true);
        IpcServer s = ipc.serve(other.resolve("x.sock").toString()).start();
        assertThat(mode(other)).isEqualTo("rwxr-xr-x");
        assertThat(mode(root)).as("the socket root is not secured for a path outside it").isEqualTo("rwxr-xr-x");
        s.stop();
        assertThat(other.resolve("x.sock")).doesNotExist();

        // a path below the root but not directly in it is not "in the root" either
        Ipc ipc2 = ipc(root, true);
        IpcServer s2 = ipc2.serve(nested.resolve("y.sock").toString()).start();
        assertThat(mode(nested)).isEqualTo("rwxr-xr-x");
        assertThat(mode(root)).isEqualTo("rwxr-xr-x");
        s2.stop();
        assertThat(nested.resolve("y.sock")).doesNotExist();
    }

    /**
     * A root owned by another user. Creating one needs root privileges (chown); as any other user the
     * case cannot be set up, so it is skipped.
     */
    @Test
    void rootOwnedByAnotherUserIsRefused() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Assumptions.assumeTrue(uid == 0, "only root can chown a directory to another user");
        UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (java.io.IOException e) {
            Assumptions.abort("no user 'nobody' here: " + e);
            return;
        }
        Path root = dir.resolve("root");
        mkdir(root, "rwxr-xr-x");
        Files.setOwner(root, nobody);
        assertSocketRootError(startFailure(ipc(root, true)));
        assertThat(Files.getOwner(root)).isEqualTo(nobody);
        assertThat(mode(root)).as("a refused root is not modified").isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("app.svc")).doesNotExist();
    }
}
