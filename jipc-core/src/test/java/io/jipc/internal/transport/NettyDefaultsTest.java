package io.jipc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.testing.TempSockets;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link NettyDefaults}: Netty's allocator JFR events are off in a JVM whose first Netty user is jipc, so the
 * first message does not load JFR's metadata, and an application's own setting wins. The JVM-wide effects are
 * checked in a fresh JVM each (this one's Netty was initialised by whichever test ran first).
 */
@Timeout(60)
class NettyDefaultsTest {

    @Test
    void aFreshJvmSendsItsFirstMessageWithoutLoadingNettysJfrEvents() throws Exception {
        List<String> out = probe(null);
        assertThat(out).contains("property=false", "nettyJfr=false", "received=1");
        assertThat(out).noneMatch(line -> line.contains("io.netty.buffer.AllocateChunkEvent"));
    }

    @Test
    void theApplicationsOwnSettingIsKept() throws Exception {
        List<String> out = probe("true");
        assertThat(out).contains("property=true", "received=1");
        // Netty also needs JFR itself; where the JDK has it, the events are on as asked
        assertThat(out).contains("nettyJfr=" + jfrAvailable());
        if (jfrAvailable()) { // and the first allocation asked about them: what the default spares
            assertThat(out).anyMatch(line -> line.contains("io.netty.buffer.AllocateChunkEvent"));
        }
    }

    @Test
    void applyLeavesASetValueAloneAndFillsAMissingOne() {
        String before = System.getProperty(NettyDefaults.JFR);
        try {
            System.setProperty(NettyDefaults.JFR, "true");
            NettyDefaults.apply();
            assertThat(System.getProperty(NettyDefaults.JFR)).isEqualTo("true");
            System.clearProperty(NettyDefaults.JFR);
            NettyDefaults.apply();
            assertThat(System.getProperty(NettyDefaults.JFR)).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty(NettyDefaults.JFR);
            } else {
                System.setProperty(NettyDefaults.JFR, before);
            }
        }
    }

    private static boolean jfrAvailable() {
        try {
            return jdk.jfr.FlightRecorder.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    /** Runs {@link Probe} in a new JVM (with {@code -Dio.netty.jfr.enabled=setting} unless null); @return its output lines */
    private static List<String> probe(String setting) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path")));
        if (setting != null) {
            cmd.add("-D" + NettyDefaults.JFR + "=" + setting);
        }
        cmd.add(Probe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] bytes = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("probe finished").isTrue();
            List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            assertThat(p.exitValue()).as("probe exit status; output:%n%s", String.join("\n", lines)).isZero();
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }

    /** One message from a client to a server over a temp-dir Unix socket, then what Netty decided. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            try (TempSockets dir = TempSockets.create();
                 Ipc server = new Ipc(IpcConfig.builder().id("probe").silent(true).build());
                 Ipc client = new Ipc(IpcConfig.builder().id("probe-client").silent(true).build())) {
                String path = dir.socket("probe").toString();
                CompletableFuture<Integer> received = new CompletableFuture<>();
                CompletableFuture<Void> listening = new CompletableFuture<>();
                IpcServer s = server.serve(path);
                s.on("message", (data, socket) -> received.complete(data.get("n").asInt()))
                    .onStart(() -> listening.complete(null)).start();
                listening.get(10, TimeUnit.SECONDS);
                IpcClient c = client.connectTo("probe", path);
                c.emit("message", Map.of("n", 1));
                System.out.println("received=" + received.get(10, TimeUnit.SECONDS));
            }
            System.out.println("property=" + System.getProperty(NettyDefaults.JFR));
            System.out.println("nettyJfr=" + PlatformDependent.isJfrEnabled());
        }
    }
}
