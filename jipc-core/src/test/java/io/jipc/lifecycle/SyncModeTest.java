package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.IpcClient;
import io.jipc.IpcSocket;
import io.jipc.Recorder;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sync: true}: one client message in flight, released by anything the server sends (§1.7). */
@Timeout(60)
class SyncModeTest extends LifecycleTestBase {
    @Test
    void nextMessageWaitsForAReplyAndEarlyEmitsQueueInOrder() throws Exception {
        Recorder got = new Recorder();
        AtomicReference<IpcSocket> sock = new AtomicReference<>();
        IpcClient c = fx.ipc("c", b -> b.sync(true).retry(30)).connectTo("srv", fx.path("srv"));
        // emitted before the server even exists: they queue, in order
        c.emit("m", "a");
        c.emit("m", "b");
        c.emit("m", "c");
        fx.ipc("srv", b -> b).serve(fx.path("srv")).on("m", (d, s) -> {
            if (!d.asString().equals("probe")) {
                sock.set(s);
            }
            got.add(d.asString());
        }).start();
        got.awaitLine("a", WAIT);
        // no reply yet: b must not have been sent. A round trip of an unrelated client proves the
        // server has processed everything already on the wire.
        IpcClient probe = fx.ipc("probe", b -> b).connectTo("srv", fx.path("srv"));
        probe.emit("m", "probe");
        got.awaitLine("probe", WAIT);
        assertThat(got.lines()).containsExactly("a", "probe");
        sock.get().emit("reply", 1);
        got.awaitLine("b", WAIT);
        sock.get().emit("reply", 2);
        got.awaitLine("c", WAIT);
        assertThat(got.lines()).containsExactly("a", "probe", "b", "c");
    }

    @Test
    void withoutSyncEverythingGoesAtOnce() throws Exception {
        Recorder got = new Recorder();
        fx.ipc("srv", b -> b).serve(fx.path("srv")).on("m", (d, s) -> got.add(d.asString())).start();
        IpcClient c = fx.ipc("c", b -> b).connectTo("srv", fx.path("srv"));
        c.emit("m", "a");
        c.emit("m", "b");
        got.awaitLine("b", WAIT);
        assertThat(got.lines()).containsExactly("a", "b");
    }
}
