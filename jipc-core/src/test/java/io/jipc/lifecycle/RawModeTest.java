package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.Recorder;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** rawBuffer: bytes go out exactly as given and arrive exactly as read; strings use {@code encoding}. */
@Timeout(60)
class RawModeTest extends LifecycleTestBase {
    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void everyByteValueRoundTripsUntouched() throws Exception {
        ByteArrayOutputStream atServer = new ByteArrayOutputStream();
        ByteArrayOutputStream atClient = new ByteArrayOutputStream();
        Recorder ev = new Recorder();
        fx.ipc("srv", b -> b.rawBuffer(true)).serve(fx.path("srv")).onData((bytes, s) -> {
            synchronized (atServer) {
                atServer.writeBytes(bytes);
                if (atServer.size() == 256) {
                    ev.add("server has all");
                }
            }
            s.emit(bytes.clone());
        }).start();
        IpcClient c = fx.ipc("c", b -> b.rawBuffer(true)).connectTo("srv", fx.path("srv"), cl -> cl.onData(bytes -> {
            atClient.writeBytes(bytes);
            if (atClient.size() == 256) {
                ev.add("client has all");
            }
        }));
        c.emit(allBytes());
        ev.awaitLine("client has all", WAIT);
        assertThat(atServer.toByteArray()).isEqualTo(allBytes());
        assertThat(atClient.toByteArray()).isEqualTo(allBytes());
    }

    @Test
    void stringPayloadsFollowTheEncodingLikeNodeBuffer() throws Exception {
        String[][] cases = {
            {"utf8", "é\f", "c3a90c"},
            {"latin1", "é\u0100", "e900"},
            {"ascii", "AB", "4142"},
            {"utf16le", "A€", "4100ac20"},
            {"base64", "/w8=", "ff0f"},
            {"base64", "_w8", "ff0f"},
            {"hex", "ff000c41zz", "ff000c41"},
        };
        for (String[] c : cases) {
            Recorder got = new Recorder();
            String name = "s" + c[0] + c[2];
            fx.ipc(name, b -> b.rawBuffer(true)).serve(fx.path(name))
                .onData((bytes, s) -> got.add(HexFormat.of().formatHex(bytes))).start();
            fx.ipc("c" + name, b -> b.rawBuffer(true).encoding(c[0])).connectTo(name, fx.path(name)).emit(c[1]);
            got.awaitLine(c[2], WAIT);
        }
    }

    @Test
    void typedEmitIsRefusedInRawModeAndBytesInFramedMode() {
        IpcClient raw = fx.ipc("r", b -> b.rawBuffer(true)).connectTo("x", fx.path("x"));
        assertThatThrownBy(() -> raw.emit("type", 1)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is on");
        IpcClient framed = fx.ipc("f", b -> b).connectTo("y", fx.path("y"));
        assertThatThrownBy(() -> framed.emit(new byte[] {1})).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("rawBuffer is off");
    }

    @Test
    void printableDelimiterIsRefusedUnlessRaw() {
        assertThatThrownBy(() -> IpcConfig.builder().delimiter("|").build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delimiter").hasMessageContaining("\"|\"");
        assertThat(IpcConfig.builder().delimiter("|").rawBuffer(true).build().delimiter()).isEqualTo("|");
    }

    @Test
    void twoInstancesWithDifferentDelimitersDoNotInterfere() throws Exception {
        Recorder got = new Recorder();
        fx.ipc("a", b -> b.delimiter("\r\n")).serve(fx.path("a")).on("m", (d, s) -> got.add("a " + d.asString())).start();
        fx.ipc("b", b -> b).serve(fx.path("b")).on("m", (d, s) -> got.add("b " + d.asString())).start();
        fx.ipc("ca", b -> b.delimiter("\r\n")).connectTo("a", fx.path("a")).emit("m", "crlf");
        fx.ipc("cb", b -> b).connectTo("b", fx.path("b")).emit("m", "ff");
        got.await(l -> l.size() == 2, WAIT, "both");
        assertThat(got.lines()).containsExactlyInAnyOrder("a crlf", "b ff");
    }
}
