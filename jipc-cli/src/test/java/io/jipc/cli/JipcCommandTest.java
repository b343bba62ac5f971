package io.jipc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command-line contract: serve, connect and demo, run in-process (and serve once as a process). */
class JipcCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path dir;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jipc-cli-");
    }

    @AfterEach
    void deleteDir() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    @Timeout(60)
    void serveEchoAndConnectRoundTrip() throws Exception {
        roundTrip();
    }

    @Test
    @Timeout(60)
    void serveEchoAndConnectRoundTripWithBusyPollingLoops() throws Exception {
        roundTrip("--busy-poll-micros", "50");
    }

    /** One message to an echo server and back, both commands given {@code flags} too. */
    private void roundTrip(String... flags) throws Exception {
        String sock = dir.resolve("echo.sock").toString();
        Cli.Running serve = Cli.start(concat(new String[] {"serve", "--echo", "--path", sock}, flags));
        try {
            serve.err.await(l -> l.equals("listening on " + sock), WAIT);

            Cli.Result r = Cli.run(concat(
                new String[] {"connect", "echo", "--path", sock, "--emit", "message", "{\"a\":1}", "--count", "1"}, flags));

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"type\":\"message\",\"data\":{\"a\":1}}");
            serve.out.await(l -> l.equals("{\"type\":\"message\",\"data\":{\"a\":1}}"), WAIT);
        } finally {
            assertThat(serve.stop()).isZero();
        }
        assertThat(Path.of(sock)).doesNotExist();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    @Timeout(60)
    void connectSendsEmitsInOrderAndPrintsEveryType() throws Exception {
        String sock = dir.resolve("order.sock").toString();
        Cli.Running serve = Cli.start("serve", "--echo", "--legacy", "--path", sock);
        try {
            serve.err.await(l -> l.startsWith("listening on "), WAIT);

            Cli.Result r = Cli.run("connect", "x", "--path", sock, "--modern", "--count", "3",
                "--emit", "connect", "\"hi\"", "--emit", "n", "-1.5", "--emit", "e", "null");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            // The modern client sends null as it is; the legacy server echoes it as {} (node-ipc 9-12 rules).
            assertThat(r.out()).containsExactly(
                "{\"type\":\"connect\",\"data\":\"hi\"}",
                "{\"type\":\"n\",\"data\":-1.5}",
                "{\"type\":\"e\",\"data\":{}}");
            serve.out.await(l -> l.equals("{\"type\":\"e\",\"data\":null}"), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void connectWithoutCountExitsOnceTheEmitsAreWritten() throws Exception {
        String sock = dir.resolve("fire.sock").toString();
        Cli.Running serve = Cli.start("serve", "--path", sock);
        try {
            serve.err.await(l -> l.startsWith("listening on "), WAIT);

            Cli.Result r = Cli.run("connect", "x", "--path", sock, "--emit", "ping", "[1,true]");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).isEmpty();
            serve.out.await(l -> l.equals("{\"type\":\"ping\",\"data\":[1,true]}"), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void connectWithInvalidJsonExits2NamingTheArgument() {
        Cli.Result r = Cli.run("connect", "x", "--path", dir.resolve("none.sock").toString(),
            "--emit", "ok", "1", "--emit", "message", "{a:1}");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(String.join("\n", r.err())).contains("--emit message").contains("{a:1}").contains("invalid JSON");
        assertThat(r.out()).isEmpty();
    }

    @Test
    @Timeout(60)
    void connectToAMissingSocketTimesOut() {
        String sock = dir.resolve("missing.sock").toString();
        long start = System.nanoTime();

        Cli.Result r = Cli.run("connect", "x", "--path", sock, "--timeout", "1", "--emit", "message", "1");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", r.err())).contains("could not connect to " + sock + " within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @Timeout(60)
    void serveExitsNonZeroWhenItCannotListen() throws IOException {
        Path notASocket = Files.writeString(dir.resolve("plain-file"), "x");

        Cli.Result r = Cli.run("serve", "--path", notASocket.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", r.err())).contains("cannot listen on " + notASocket);
        assertThat(notASocket).hasContent("x");
    }

    @Test
    @Timeout(60)
    void demoRunsHelloWorld() {
        Cli.Result r = Cli.run("demo");

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("[hello] connected to world", "[hello] got message \"hello world!\"",
                "[hello] disconnected")
            .anySatisfy(l -> assertThat(l).startsWith("[world] listening on /"))
            .anySatisfy(l -> assertThat(l).startsWith("[world] got message \"hello\" from "));
        String socket = r.out().get(0).substring("[world] listening on ".length());
        assertThat(Path.of(socket).getParent()).doesNotExist();
    }

    @Test
    @Timeout(60)
    void helpListsTheCommands() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(String.join("\n", r.out())).contains("serve", "connect", "demo");
    }

    @Test
    @Timeout(60)
    void serveProcessRemovesItsSocketOnSigterm() throws Exception {
        Path sock = dir.resolve("term.sock");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), JipcCommand.class.getName(), "serve", "--path", sock.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try (var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
            java.nio.charset.StandardCharsets.UTF_8))) {
            String line = err.readLine();
            for (int skipped = 0; line != null && !line.startsWith("listening") && skipped < 20; skipped++) {
                line = err.readLine(); // newer JDKs first print warnings about Netty's native library and Unsafe
            }
            assertThat(line).isEqualTo("listening on " + sock);
            assertThat(sock).exists();

            p.destroy(); // SIGTERM

            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(sock).doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }
}
