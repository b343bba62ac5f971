package io.jipc.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.testing.TempSockets;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many concurrent Unix-socket clients on one server: every client connects, every client receives one
 * broadcast exactly once, and the server's heap cost per idle connection is measured and printed.
 *
 * <p>The clients run in a <em>child JVM</em> ({@link LoadClients}, spread over 4 {@link Ipc}
 * instances), so this JVM holds only the server side of each connection: heap per idle connection =
 * (heap used after a full GC with N idle connections − before any) / N. Measured with the suite's
 * settings (native epoll when it loads, {@code -Dio.netty.leakDetection.level=paranoid}, {@code -Xmx1g}).
 *
 * <p>Size: {@code -Djipc.load.clients} (default 2,000; {@code scripts/load-10k.sh} runs 10,000). Each
 * JVM needs about one descriptor per connection; nothing is raised here: when {@code ulimit -n} leaves
 * too few, N is scaled down to what fits (and logged), or the test is skipped when that is under 100.
 */
@Timeout(60)
class LoadTest {
    private static final int INSTANCES = 4;
    /** Descriptors kept free for the JVM itself (jars, epoll, pipes, …). */
    private static final int FD_RESERVE = 400;

    @TempDir
    Path tmp;

    @Test
    void everyClientConnectsAndReceivesOneBroadcast() throws Exception {
        int wanted = Integer.getInteger("jipc.load.clients", 2000);
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long maxFds = os.getMaxFileDescriptorCount();
        long openFds = os.getOpenFileDescriptorCount();
        long fits = maxFds - openFds - FD_RESERVE;
        int n = (int) Math.min(wanted, fits);
        log("ulimit -n (soft) = %d, open now = %d; per JVM N + %d needed (clients in a child JVM, same limit)",
            maxFds, openFds, FD_RESERVE);
        Assumptions.assumeTrue(n >= 100, "ulimit -n " + maxFds + " leaves room for only " + fits
            + " connections; need at least 100 (raise ulimit -n, e.g. scripts/load-10k.sh)");
        if (n < wanted) {
            log("SCALED DOWN: %d clients requested, %d fit under ulimit -n %d", wanted, n, maxFds);
        }
        Duration wait = Duration.ofSeconds(Math.max(40, n / 100));

        try (TempSockets sockets = TempSockets.create();
             Ipc serverIpc = new Ipc(IpcConfig.builder().id("load-server").silent(true).maxConnections(n + 16)
                 .socketRoot(sockets.dir() + "/").build())) {
            String path = sockets.dir().resolve("load.sock").toString();
            CountDownLatch allConnected = new CountDownLatch(n);
            AtomicInteger disconnected = new AtomicInteger();
            CountDownLatch allGone = new CountDownLatch(n);
            IpcServer server = serverIpc.serve(path)
                .onConnect(s -> allConnected.countDown())
                .onSocketDisconnected((s, id) -> {
                    disconnected.incrementAndGet();
                    allGone.countDown();
                })
                .start();
            long heapBefore = heapAfterGc();
            long fdsBefore = os.getOpenFileDescriptorCount();
            long directBefore = io.netty.util.internal.PlatformDependent.usedDirectMemory();

            long t0 = System.nanoTime();
            try (ChildJvm clients = ChildJvm.start(LoadClients.class,
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dio.netty.leakDetection.level=disabled"),
                List.of(path, String.valueOf(n), String.valueOf(INSTANCES)), tmp.resolve("clients.err"))) {
                boolean up = allConnected.await(wait.toSeconds(), TimeUnit.SECONDS);
                assertThat(up).as("all %d clients connected within %s (server saw %d); child said %s; stderr %s", n,
                    wait, n - allConnected.getCount(), clients.out.lines(), clients.stderr()).isTrue();
                clients.out.awaitLine("CONNECTED " + n, wait);
                double connectSecs = (System.nanoTime() - t0) / 1e9;
                assertThat(server.sockets()).hasSize(n);

                long heapAfter = heapAfterGc();
                long fdsAfter = os.getOpenFileDescriptorCount();
                long directAfter = io.netty.util.internal.PlatformDependent.usedDirectMemory();
                long t1 = System.nanoTime();
                server.broadcast("news", Map.of("n", 1));
                double broadcastCallMs = (System.nanoTime() - t1) / 1e6;
                List<String> lines = clients.out.await(l -> l.stream().anyMatch(s -> s.startsWith("RECEIVED ")),
                    wait, "every client received the broadcast");
                double broadcastMs = (System.nanoTime() - t1) / 1e6;
                assertThat(lines).contains("RECEIVED " + n + " DUPLICATES 0");
                assertThat(lines).noneMatch(s -> s.startsWith("RECONNECTED") || s.startsWith("DUPLICATE"));

                double perConn = (heapAfter - heapBefore) / (double) n;
                log("RESULT clients=%d transport=%s connect-all=%.1f s broadcast: call returned in %.1f ms, all %d "
                        + "clients reported receipt (child JVM, via its stdout) after %.0f ms", n, serverIpc.transport(),
                    connectSecs, broadcastCallMs, n, broadcastMs);
                log("RESULT server heap: before=%.1f MiB after=%.1f MiB -> %.0f bytes (%.2f KiB) per idle connection; "
                        + "fds per connection %.2f; Netty direct memory %d -> %d bytes", heapBefore / 1048576.0,
                    heapAfter / 1048576.0, perConn, perConn / 1024, (fdsAfter - fdsBefore) / (double) n, directBefore,
                    directAfter);

                clients.send("EXIT");
                assertThat(allGone.await(wait.toSeconds(), TimeUnit.SECONDS))
                    .as("server saw every client leave (%d of %d)", disconnected.get(), n).isTrue();
                clients.out.awaitLine("CLOSED", wait);
                assertThat(clients.process().waitFor(wait.toSeconds(), TimeUnit.SECONDS)).isTrue();
                assertThat(clients.process().exitValue()).isZero();
                assertThat(server.sockets()).isEmpty();
                // sanity bound, far above what is expected (a few KiB): catches a per-connection leak of buffers
                assertThat(perConn).as("heap per idle connection").isLessThan(256 * 1024);
            }
        }
    }

    /** Heap in use right after a full collection: the sum of every heap pool's usage after its last GC. */
    static long heapAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            long sum = 0;
            boolean known = true;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    MemoryUsage u = pool.getCollectionUsage();
                    if (u == null) {
                        known = false;
                    } else {
                        sum += u.getUsed();
                    }
                }
            }
            if (!known) {
                sum = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            }
            best = Math.min(best, sum);
        }
        return best;
    }

    private static void log(String format, Object... args) {
        System.out.println("[LoadTest] " + String.format(format, args));
    }
}
