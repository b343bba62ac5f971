package io.jipc.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.config.Defaults;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.config.ProtocolPolicy;
import io.jipc.internal.config.RetryPolicy;
import io.jipc.internal.log.IpcLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link Pipelines#install} sets on a channel besides its handlers. */
@Timeout(30)
class PipelinesTest {
    private static EngineSettings settings(boolean raw) {
        return settings(raw, new ProtocolPolicy(false, 0, false, null, 0, false));
    }

    private static EngineSettings settings(boolean raw, ProtocolPolicy policy) {
        return new EngineSettings(EngineSettings.delimiterBytes("\f"), 64, raw, false, Defaults.jsonMapper(), 100,
            true, false, false, false, new RetryPolicy(500, 10, false, 5_000), false, 1 << 20, policy, null,
            new IpcLog(true, line -> { }));
    }

    /** Records what reaches the listener, as text. */
    private static final class Recorder implements ConnectionListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public void connected(Connection connection) {
            seen.add("connected");
        }

        @Override
        public void message(Connection connection, WireMessage message) {
            seen.add(message.type() + "=" + message.data());
            if (message.type().equals("throw")) {
                throw new IllegalStateException("listener failure, which must not stop the channel");
            }
        }

        @Override
        public void raw(Connection connection, ByteBuf bytes) {
            seen.add("raw " + bytes.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void failure(Connection connection, DecodeFailure failure) {
            seen.add(failure.code().name());
        }

        @Override
        public void error(Connection connection, Throwable cause) {
            seen.add("error " + cause);
        }

        @Override
        public void disconnected(Connection connection) {
            seen.add("disconnected");
        }
    }

    /** Messages, failures and a listener that throws, split over reads, in both pipelines (with and without a policy). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyFrameReachesTheListenerInOrder(boolean policy) {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Pipelines.install(ch, settings(false, new ProtocolPolicy(false, policy ? 8 : 0, false, null, 0, false)), null, r);
            ch.pipeline().fireChannelActive();
            String stream = "{\"type\":\"a\",\"data\":1}\f{\"type\":\"throw\"}\fnot json\f{\"type\":\"b\",\"da"
                + "ta\":[2]}\f{\"type\":\"" + "x".repeat(100) + "\"}\f{\"type\":\"longer-than-8\"}\f{\"type\":\"c\"}\f";
            byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
            ch.writeInbound(Unpooled.copiedBuffer(bytes, 0, 20));
            ch.writeInbound(Unpooled.copiedBuffer(bytes, 20, bytes.length - 20));
            ch.checkException();
            assertThat(r.seen).containsExactly("connected", "a=1", "throw=", "ERR_IPC_INVALID_JSON", "b=[2]",
                "ERR_IPC_FRAME_TOO_LARGE", policy ? "ERR_IPC_EVENT_TOO_LARGE" : "longer-than-8=", "c=");
            assertThat(ch.isActive()).isTrue();
            assertThat((Object) ch.readInbound()).isNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static final ConnectionListener IGNORE = IgnoringListener.INSTANCE;

    /** messageTimeout without per-message checks: the splitter delivers directly and still times out a partial frame. */
    @Test
    void anEndlessPartialFrameTimesOutWhenMessagesAreDeliveredDirectly() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Pipelines.install(ch, settings(false, new ProtocolPolicy(false, 0, false, null, 50, false)), null, r);
            ch.pipeline().fireChannelActive();
            ch.writeInbound(Unpooled.copiedBuffer("{\"type\":\"a\"}\f{\"type\":", StandardCharsets.UTF_8));
            ch.writeInbound(Unpooled.copiedBuffer("\"b\"}\f{\"type\":\"c", StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!r.seen.contains("ERR_IPC_MESSAGE_TIMEOUT") && System.nanoTime() < deadline) {
                // the splitter measures the wait in real time; its timer runs on the channel's clock
                ch.advanceTimeBy(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                ch.runScheduledPendingTasks();
                Thread.onSpinWait();
            }
            ch.checkException();
            assertThat(r.seen).containsExactly("connected", "a=", "b=", "ERR_IPC_MESSAGE_TIMEOUT");
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsGrowWhileTheyFillUpTo256KibAndStartSmall(boolean raw) {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Pipelines.install(ch, settings(raw), null, IGNORE);
            RecvByteBufAllocator.Handle reads = ch.config().getRecvByteBufAllocator().newHandle();
            ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
            reads.reset(ch.config());
            assertThat(reads.guess()).isEqualTo(2048);
            int largest = 0;
            for (int i = 0; i < 64; i++) {
                reads.reset(ch.config());
                ByteBuf b = reads.allocate(alloc);
                largest = Math.max(largest, b.writableBytes());
                reads.lastBytesRead(b.writableBytes()); // every read fills its buffer
                reads.readComplete();
                b.release();
            }
            assertThat(largest).isEqualTo(Pipelines.MAX_READ).isEqualTo(256 * 1024);
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void writesPauseAtTheConfiguredPendingBytes() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Pipelines.install(ch, settings(false), null, IGNORE);
            assertThat(ch.config().getWriteBufferHighWaterMark()).isEqualTo(1 << 20);
            assertThat(ch.config().getWriteBufferLowWaterMark()).isEqualTo(1 << 19);
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
