package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import io.jipc.testing.TempSockets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-instance options: the log sink, silence, and SO_REUSEPORT (the cluster analogue). */
@Timeout(60)
class InstanceOptionsTest extends LifecycleTestBase {

    @Test
    void loggerReceivesLinesWithoutPayloadsAndSilentSuppressesThem() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Recorder got = new Recorder();
        Ipc logged = new Ipc(IpcConfig.builder().id("logged").socketRoot(dir + "/").logger(lines::add).build());
        Ipc quiet = new Ipc(IpcConfig.builder().id("quiet").socketRoot(dir + "/").silent(true).logger(lines::add).build());
        try (logged; quiet) {
            logged.serve(fx.path("logged")).on("m", (d, s) -> got.add(d.asString())).start();
            fx.ipc("c", b -> b).connectTo("logged", fx.path("logged")).emit("m", "secret-payload");
            got.awaitLine("secret-payload", WAIT);
            int before = lines.size();
            quiet.serve(fx.path("quiet")).start();
            assertThat(lines).hasSize(before);
        }
        assertThat(lines).anyMatch(l -> l.contains("listening on")).noneMatch(l -> l.contains("secret-payload"));
    }

    @Test
    void reusePortLetsSeveralServersShareOneTcpPortAndClientsReachThem() throws Exception {
        int port = TempSockets.freeTcpPort();
        Recorder got = new Recorder();
        for (int i = 0; i < 2; i++) {
            String name = "worker" + i;
            IpcServer s = fx.ipc(name, b -> b.reusePort(true)).serveNet("127.0.0.1", port);
            s.on("m", (d, sock) -> sock.emit("m", name)).start();
            assertThat(s.isListening()).isTrue();
        }
        for (int i = 0; i < 8; i++) {
            int k = i;
            fx.ipc("c" + i, b -> b).connectToNet("w", "127.0.0.1", port, c -> c.on("m", d -> got.add(k + " " + d.asString())))
                .emit("m", i);
        }
        got.awaitCount(8, WAIT);
        assertThat(got.lines()).allMatch(l -> l.matches("\\d worker[01]"));
    }
}
