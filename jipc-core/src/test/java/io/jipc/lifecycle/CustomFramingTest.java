package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.FrameCodec;
import io.jipc.IpcClient;
import io.jipc.IpcProtocolException;
import io.jipc.NetType;
import io.jipc.Recorder;
import io.netty.buffer.ByteBuf;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The codec SPI: a length-prefixed framing replaces the delimiter on both ends. */
@Timeout(60)
class CustomFramingTest extends LifecycleTestBase {

    /** 4-byte big-endian length, then the body; refuses negative lengths. */
    static final FrameCodec LENGTH_PREFIXED = new FrameCodec() {
        @Override
        public void writeFrame(ByteBuf body, ByteBuf out) {
            out.writeInt(body.readableBytes()).writeBytes(body, body.readerIndex(), body.readableBytes());
        }

        @Override
        public ByteBuf readFrame(ByteBuf in) {
            if (in.readableBytes() < 4) {
                return null;
            }
            int length = in.getInt(in.readerIndex());
            if (length < 0) {
                throw new IllegalArgumentException("negative length " + length);
            }
            if (in.readableBytes() < 4 + length) {
                return null;
            }
            in.skipBytes(4);
            return in.readSlice(length);
        }
    };

    @Test
    void messagesRoundTripWithLengthPrefixedFrames() throws Exception {
        Recorder got = new Recorder();
        fx.ipc("srv", b -> b.frameCodec(LENGTH_PREFIXED)).serve(fx.path("srv"))
            .on("m", (d, s) -> s.emit("m", d)).start();
        IpcClient c = fx.ipc("c", b -> b.frameCodec(LENGTH_PREFIXED))
            .connectTo("srv", fx.path("srv"), cl -> cl.on("m", d -> got.add(d.toString())));
        int n = 2000;
        for (int i = 0; i < n; i++) {
            c.emit("m", java.util.Map.of("i", i, "s", "a\fb|c\u2028"));
        }
        got.awaitCount(n, WAIT);
        assertThat(got.lines().get(0)).contains("\"i\":0");
        assertThat(got.lines().get(n - 1)).contains("\"i\":" + (n - 1));
    }

    @Test
    void badAndOversizedFramesAreCodedErrorsAndTheServerCarriesOn() throws Exception {
        Recorder ev = new Recorder();
        fx.ipc("srv", b -> b.frameCodec(LENGTH_PREFIXED).maxMessageSize(64)).serve(fx.path("srv"))
            .on("m", (d, s) -> ev.add("m " + d))
            .onError((e, s) -> ev.add("error " + (e instanceof IpcProtocolException p ? p.code() : e)))
            .start();
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(fx.path("srv")));
            byte[] big = ("{\"type\":\"m\",\"data\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = ByteBuffer.allocate(4 + big.length).putInt(big.length).put(big).flip();
            while (b.hasRemaining()) {
                raw.write(b);
            }
            ev.awaitLine("error ERR_IPC_FRAME_TOO_LARGE", WAIT);
            ByteBuffer neg = ByteBuffer.allocate(4).putInt(-1).flip();
            raw.write(neg);
            ev.awaitLine("error ERR_IPC_INVALID_MESSAGE", WAIT);
        }
        fx.ipc("c", b -> b.frameCodec(LENGTH_PREFIXED)).connectTo("srv", fx.path("srv")).emit("m", 1);
        ev.awaitLine("m 1", WAIT);
    }

    @Test
    void udpEndpointsRefuseACustomFraming() {
        assertThatThrownBy(() -> fx.ipc("u", b -> b.frameCodec(LENGTH_PREFIXED)).serveNet("127.0.0.1", 0, NetType.UDP4))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("frameCodec");
    }

}
