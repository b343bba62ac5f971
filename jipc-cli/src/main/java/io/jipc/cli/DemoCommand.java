package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jipc demo}: node-ipc's hello/world example in one JVM. Instance {@code world} serves on a
 * socket in a fresh temp dir and answers each {@code message} with {@code data + " world!"};
 * instance {@code hello} connects, sends {@code "hello"}, prints the reply and disconnects. Every
 * step is printed as a line on stdout; each wait is bounded by {@value #TIMEOUT_SECONDS} s.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run node-ipc's hello/world example in one JVM: 'world' serves, 'hello' connects, "
        + "says \"hello\" and gets \"hello world!\" back.")
final class DemoCommand implements Callable<Integer> {
    static final int TIMEOUT_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Lines lines = Lines.of(spec);
        Path dir = Files.createTempDirectory(Path.of(Files.isDirectory(Path.of("/tmp")) ? "/tmp"
            : System.getProperty("java.io.tmpdir")), "jipc-demo-");
        try {
            return run(dir.toString() + "/", lines) ? 0 : 1;
        } catch (RuntimeException e) {
            lines.err("jipc demo: " + Lines.describe(e));
            return 1;
        } finally {
            deleteRecursively(dir, lines);
        }
    }

    private boolean run(String socketRoot, Lines out) {
        // Both instances share the socket root, so each finds the other by id alone, as in node-ipc.
        IpcConfig world = IpcConfig.builder().id("world").socketRoot(socketRoot).build();
        IpcConfig hello = IpcConfig.builder().id("hello").socketRoot(socketRoot).retry(200).build();
        CountDownLatch replied = new CountDownLatch(1);
        CountDownLatch destroyed = new CountDownLatch(1);
        CountDownLatch socketGone = new CountDownLatch(1);
        try (Ipc worldIpc = new Ipc(world); Ipc helloIpc = new Ipc(hello)) {
            IpcServer server = worldIpc.serve();
            server.on("message", (data, socket) -> {
                out.out("[world] got message " + EventJson.value(data) + " from " + socket);
                String reply = (data.isString() ? data.asString() : EventJson.value(data)) + " world!";
                out.out("[world] replying message " + EventJson.string(reply));
                socket.emit("message", reply);
            });
            server.onSocketDisconnected((socket, id) -> {
                out.out("[world] " + socket + " disconnected");
                socketGone.countDown();
            });
            server.start();
            out.out("[world] listening on " + server.path());

            helloIpc.connectTo("world", client -> client
                .onConnect(() -> {
                    out.out("[hello] connected to world");
                    out.out("[hello] sending message \"hello\"");
                    client.emit("message", "hello");
                })
                .on("message", data -> {
                    out.out("[hello] got message " + EventJson.value(data));
                    replied.countDown();
                })
                .onDisconnect(() -> out.out("[hello] disconnected"))
                .onDestroy(destroyed::countDown));

            if (!await(replied, "the reply from world", out)) {
                return false;
            }
            helloIpc.disconnect("world");
            if (!await(destroyed, "hello to disconnect", out) || !await(socketGone, "world to see hello leave", out)) {
                return false;
            }
        }
        out.out("[world] stopped; done");
        return true;
    }

    private static boolean await(CountDownLatch latch, String what, Lines out) {
        try {
            if (latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            out.err("jipc demo: timed out after " + TIMEOUT_SECONDS + " s waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.err("jipc demo: interrupted waiting for " + what);
        }
        return false;
    }

    private static void deleteRecursively(Path dir, Lines out) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            out.err("jipc demo: cannot delete " + dir + ": " + Lines.describe(e));
        }
    }
}
