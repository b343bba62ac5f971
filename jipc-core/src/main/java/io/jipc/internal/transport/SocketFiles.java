package io.jipc.internal.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.codec.ProtocolErrorException;

/** Checks and housekeeping for Unix socket files. */
public final class SocketFiles {
    /** Longest path the kernel accepts in {@code sockaddr_un} on Linux (108 bytes incl. the NUL). */
    public static final int MAX_PATH_BYTES = 107;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFiles() {
    }

    /** @throws IllegalArgumentException when {@code path} is too long for a Unix socket */
    public static void checkLength(String path) {
        int length = path.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new IllegalArgumentException("socket path too long: length=" + length + " bytes, max="
                + MAX_PATH_BYTES + " (the OS limit for Unix sockets): " + path);
        }
    }

    /** @return whether {@code path} exists and is a socket (links are not followed) */
    public static boolean isSocket(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return ((Integer) mode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Prepares {@code path} for binding: creates a missing parent directory (0700), and when
     * {@code unlink} is set removes an existing <em>socket</em> file there. Anything else at the path (a
     * regular file, a directory, a symlink) is left alone and reported.
     * @throws IllegalStateException when the path is taken by something that is not a socket
     */
    public static void prepareForBind(Path path, boolean unlink) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                try {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(parent);
                }
            }
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!isSocket(path)) {
                throw new ProtocolErrorException(ProtocolErrorCode.ERR_IPC_UNLINK_NOT_SOCKET, "cannot listen on "
                    + path + ": the path exists and is not a socket (refusing to remove it)");
            }
            if (unlink) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare socket path " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets a socket file's mode: owner read/write always; read and/or write for group and others when
     * asked (node-ipc's {@code readableAll}/{@code writableAll}). Connecting needs write permission.
     * @throws IllegalStateException when the mode cannot be set
     */
    public static void setMode(Path path, boolean readableAll, boolean writableAll) {
        StringBuilder mode = new StringBuilder("rw-");
        String others = (readableAll ? "r" : "-") + (writableAll ? "w" : "-") + "-";
        mode.append(others).append(others);
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode.toString()));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to set
        } catch (IOException e) {
            throw new IllegalStateException("cannot set mode " + mode + " on socket " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * node-ipc 14's {@code secureSocketRoot}: creates {@code dir} with mode 0700 if missing; refuses it
     * when it is a symlink or owned by another user; otherwise tightens it to 0700.
     * @throws ProtocolErrorException with {@code ERR_IPC_SOCKET_ROOT} naming the directory and the problem
     */
    public static void secureRoot(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                throw rootError(dir, "is a symbolic link");
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw rootError(dir, "is not a directory");
            }
            UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal me = currentUser(dir);
            if (me != null && !owner.equals(me)) {
                throw rootError(dir, "is owned by " + owner.getName() + ", not by " + me.getName());
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to secure
        } catch (IOException e) {
            throw rootError(dir, "cannot be secured: " + e.getMessage());
        }
    }

    private static UserPrincipal currentUser(Path dir) throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.exists(self)) {
            return Files.getOwner(self, LinkOption.NOFOLLOW_LINKS);
        }
        String name = System.getProperty("user.name");
        return name == null ? null : dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
    }

    private static ProtocolErrorException rootError(Path dir, String problem) {
        return new ProtocolErrorException(ProtocolErrorCode.ERR_IPC_SOCKET_ROOT,
            "socket root " + dir + " " + problem + " (secureSocketRoot refuses it)");
    }

    /** Removes {@code path} if it is still a socket; quiet on failure. */
    public static void removeIfSocket(Path path) {
        if (isSocket(path)) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // best effort: someone else may have removed or replaced it
            }
        }
    }
}
