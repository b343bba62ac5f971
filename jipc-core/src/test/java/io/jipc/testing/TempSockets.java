package io.jipc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fresh, short temporary directory for Unix socket files ({@code /tmp/jipc-test-XXXXXXXX/},
 * mode 0700), deleted with everything in it on {@link #close()}.
 *
 * <p>Use with try-with-resources ({@code try (TempSockets s = TempSockets.create()) {...}}), or
 * as a JUnit extension: {@code @ExtendWith(TempSockets.Extension.class)} and a test parameter of
 * type {@code TempSockets}, closed after each test.
 */
public final class TempSockets implements AutoCloseable {

    /** sun_path is 108 bytes on Linux, 104 on macOS/BSD (both including the terminating NUL). */
    public static final int MAX_SOCKET_PATH_BYTES = 103;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private final Path dir;
    private int counter;

    private TempSockets(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code /tmp/jipc-test-XXXXXXXX/} (or under java.io.tmpdir where /tmp does not exist). */
    public static TempSockets create() {
        Path base = Path.of("/tmp");
        if (!Files.isDirectory(base)) {
            base = Path.of(System.getProperty("java.io.tmpdir"));
        }
        boolean posix = base.getFileSystem().supportedFileAttributeViews().contains("posix");
        for (int attempt = 0; attempt < 100; attempt++) {
            StringBuilder name = new StringBuilder("jipc-test-");
            for (int i = 0; i < 8; i++) {
                name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            Path d = base.resolve(name.toString());
            try {
                if (posix) {
                    Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(d);
                }
                return new TempSockets(d);
            } catch (FileAlreadyExistsException e) {
                // try another name
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a socket temp dir in " + base, e);
            }
        }
        throw new IllegalStateException("cannot find a free temp dir name in " + base);
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** A not-yet-existing socket path {@code dir/name}; fails if it would be too long for AF_UNIX. */
    public Path socket(String name) {
        Path p = dir.resolve(name);
        int len = p.toString().getBytes(StandardCharsets.UTF_8).length;
        if (len > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("socket path too long (" + len + " bytes > "
                    + MAX_SOCKET_PATH_BYTES + "): " + p);
        }
        return p;
    }

    /** A fresh socket path with a generated name ({@code s1.sock}, {@code s2.sock}, ...). */
    public synchronized Path newSocket() {
        return socket("s" + (++counter) + ".sock");
    }

    /** Deletes the directory and everything in it. */
    @Override
    public void close() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** A currently free TCP port on 127.0.0.1 (bind to port 0, read it, release it). */
    public static int freeTcpPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port on 127.0.0.1", e);
        }
    }

    @Override
    public String toString() {
        return "TempSockets[" + dir + "]";
    }

    /** JUnit extension: resolves a {@link TempSockets} parameter and closes it after each test. */
    public static final class Extension implements ParameterResolver, AfterEachCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TempSockets.class);

        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
            return pc.getParameter().getType() == TempSockets.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
            return ec.getStore(NS).computeIfAbsent(ec.getUniqueId(), k -> TempSockets.create(), TempSockets.class);
        }

        @Override
        public void afterEach(ExtensionContext ec) {
            TempSockets t = ec.getStore(NS).remove(ec.getUniqueId(), TempSockets.class);
            if (t != null) {
                t.close();
            }
        }
    }
}
