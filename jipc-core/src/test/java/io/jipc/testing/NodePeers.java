package io.jipc.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates and installs the pinned node-ipc reference peers ({@code interop/install.sh}).
 *
 * <p>{@link #installDir()} runs the install script at most once per JVM (the script itself skips
 * when its cache directory is complete) and returns the directory holding
 * {@code node_modules/{node-ipc-9,achrinza-10,node-ipc-14}}. When {@code node} or {@code npm} is
 * missing the calling test is aborted (skipped), except under {@code CI=true}, where that is a
 * failure.
 */
public final class NodePeers {

    /** The node-ipc flavours installed by {@code interop/install.sh}. */
    public enum Lib {
        /** node-ipc@9.2.1: legacy protocol (null/""/undefined/NaN payloads sent as {}). */
        V9("9"),
        /** @achrinza/node-ipc@10.1.11: node-ipc 10.1.0 code, legacy payload normalisation. */
        ACHRINZA10("achrinza-10"),
        /** node-ipc@14.0.0 (ESM): modern "fast" parser, payloads preserved. */
        V14("14");

        private final String arg;

        Lib(String arg) {
            this.arg = arg;
        }

        /** The value for {@code peer.js --lib=}. */
        public String arg() {
            return arg;
        }

        /** True for 9.x–12.x behaviour (payload normalisation, framing only at a delimiter-terminated read). */
        public boolean legacy() {
            return this != V14;
        }
    }

    /**
     * Transports supported by {@code peer.js}. {@link #TLS} takes {@code --key/--cert/--ca/--request-cert/
     * --reject-unauthorized} extra args; for {@link #UDP4}/{@link #UDP6} both roles are UDP endpoints and a
     * "client" also needs {@code --local-port=N} (it binds there and emits to the given host:port).
     */
    public enum Transport {
        UNIX("unix"),
        TCP("tcp"),
        /** node-ipc {@code serveNet}/{@code connectToNet} with {@code config.tls} set. */
        TLS("tls"),
        /** node-ipc {@code serveNet(host, port, 'udp4')}. */
        UDP4("udp4"),
        /** node-ipc {@code serveNet(host, port, 'udp6')}. */
        UDP6("udp6");

        private final String arg;

        Transport(String arg) {
            this.arg = arg;
        }

        /** The value for {@code peer.js --transport=}. */
        public String arg() {
            return arg;
        }
    }

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TOOL_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private static Path installDir;
    private static String unavailable; // non-null: node/npm missing, reason (abort/fail again, fast)
    private static AssertionError installFailure;

    private NodePeers() {
    }

    /** Repository root: the first directory upwards from the working directory holding {@code interop/install.sh}. */
    public static Path repoRoot() {
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("interop").resolve("install.sh"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find interop/install.sh in " + start + " or any parent directory");
    }

    /** The {@code interop} folder of the repository. */
    public static Path interopDir() {
        return repoRoot().resolve("interop");
    }

    /** {@code interop/peer.js}. */
    public static Path peerScript() {
        return interopDir().resolve("peer.js");
    }

    /** The {@code node} executable to run (env {@code JIPC_NODE} or {@code node} from PATH). */
    public static String nodeExecutable() {
        String n = System.getenv("JIPC_NODE");
        return n == null || n.isBlank() ? "node" : n;
    }

    static boolean isCi() {
        return "true".equalsIgnoreCase(String.valueOf(System.getenv("CI")).trim());
    }

    /**
     * Installs the peers (once per JVM) and returns the install directory. Aborts the current test
     * when node/npm are missing (fails instead when {@code CI=true}); fails when the install fails.
     */
    public static synchronized Path installDir() {
        if (installDir != null) {
            return installDir;
        }
        if (unavailable != null) {
            skipOrFail(unavailable);
        }
        if (installFailure != null) {
            throw installFailure;
        }
        String missing = missingTools();
        if (missing != null) {
            unavailable = missing;
            skipOrFail(missing);
        }
        Path script = interopDir().resolve("install.sh");
        long t0 = System.nanoTime();
        Result r;
        try {
            r = run(List.of("bash", script.toString()), INSTALL_TIMEOUT);
        } catch (IOException e) {
            installFailure = new AssertionError("cannot run " + script + ": " + e, e);
            throw installFailure;
        }
        if (r.exitCode != 0) {
            installFailure = new AssertionError("interop/install.sh failed (exit " + r.exitCode + ")\n--- stderr ---\n"
                    + tail(r.stderr, 8000) + "\n--- stdout ---\n" + tail(r.stdout, 2000));
            throw installFailure;
        }
        String last = lastLine(r.stdout);
        Path dir = last == null ? null : Path.of(last);
        if (dir == null || !Files.isDirectory(dir.resolve("node_modules"))) {
            installFailure = new AssertionError("interop/install.sh did not print an install dir; stdout:\n"
                    + tail(r.stdout, 2000) + "\nstderr:\n" + tail(r.stderr, 4000));
            throw installFailure;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.err.println("[NodePeers] node-ipc peers in " + dir + " (install.sh took " + ms + " ms)");
        installDir = dir;
        return dir;
    }

    private static void skipOrFail(String reason) {
        if (isCi()) {
            throw new AssertionError("node-ipc interop tests need Node.js and npm on PATH (CI=true): " + reason);
        }
        Assumptions.abort("node-ipc interop tests skipped: " + reason);
    }

    /** Null when node and npm both run, else a description of what is missing. */
    private static String missingTools() {
        List<String> problems = new ArrayList<>();
        for (List<String> cmd : List.of(List.of(nodeExecutable(), "--version"), List.of("npm", "--version"))) {
            try {
                Result r = run(cmd, TOOL_CHECK_TIMEOUT);
                if (r.exitCode != 0) {
                    problems.add(String.join(" ", cmd) + " exited with " + r.exitCode + ": " + tail(r.stderr, 500));
                }
            } catch (IOException e) {
                problems.add(cmd.get(0) + " not runnable (" + e.getMessage() + ")");
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> cmd, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(repoRootOrCwd().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(devNull()));
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = drain(p.getInputStream(), out, "NodePeers-stdout");
        Thread te = drain(p.getErrorStream(), err, "NodePeers-stderr");
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            to.join(5000);
            te.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("interrupted while running " + cmd, e);
        }
        String so;
        String se;
        synchronized (out) {
            so = out.toString(StandardCharsets.UTF_8);
        }
        synchronized (err) {
            se = err.toString(StandardCharsets.UTF_8);
        }
        if (!done) {
            return new Result(-1, so, se + "\n[timed out after " + timeout + "]");
        }
        return new Result(p.exitValue(), so, se);
    }

    private static Path repoRootOrCwd() {
        try {
            return repoRoot();
        } catch (AssertionError e) {
            return Path.of("").toAbsolutePath();
        }
    }

    private static java.io.File devNull() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return new java.io.File(windows ? "NUL" : "/dev/null");
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // process gone / stream closed: nothing more to read
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String lastLine(String s) {
        String[] lines = s.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].trim();
            }
        }
        return null;
    }

    static String tail(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max);
    }
}
