package io.jipc.resilience;

import io.jipc.Recorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} class of the test sources run in a child JVM (the current {@code java} binary, this
 * JVM's {@code java.class.path}). Its stdout lines go to a {@link Recorder} (so tests wait on lines,
 * never on time), its stderr to a file shown by {@link #stderr()}. {@link #close()} kills it if it is
 * still alive; it only ever touches the process it started.
 */
final class ChildJvm implements AutoCloseable {
    /** Flags that make a small child JVM start quickly. */
    static final List<String> FAST_START = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Dio.netty.leakDetection.level=disabled");

    final Recorder out = new Recorder();
    private final Process process;
    private final Path errFile;
    private final Thread reader;
    private final Writer stdin;

    private ChildJvm(Process process, Path errFile) {
        this.process = process;
        this.errFile = errFile;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.add(line);
                }
            } catch (IOException e) {
                out.add("READER-ERROR " + e);
            }
            out.add("EOF");
        }, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} with {@code jvmArgs} and {@code args}; stderr goes to {@code errFile}.
     * @throws IOException when the JVM cannot be started
     */
    static ChildJvm start(Class<?> mainClass, List<String> jvmArgs, List<String> args, Path errFile) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(errFile.toFile()));
        return new ChildJvm(pb.start(), errFile);
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** Sends one line to the child's stdin. */
    void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("child " + pid() + " stdin", e);
        }
    }

    /** SIGKILL ({@link Process#destroyForcibly()}) and wait for the exit. @return whether it exited in time */
    boolean kill(long timeoutMillis) throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** @return the child's stderr so far (for failure messages) */
    String stderr() {
        try {
            String s = Files.exists(errFile) ? Files.readString(errFile) : "";
            return s.length() > 4000 ? "…" + s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the child is gone
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
