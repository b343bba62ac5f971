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
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link Pipelines#install} sets on a channel besides its handlers. */
@Timeout(30)
class PipelinesTest {
    private static EngineSettings settings(boolean raw) {
        return new EngineSettings(EngineSettings.delimiterBytes("\f"), 8 << 20, raw, false, Defaults.jsonMapper(), 100,
            true, false, false, false, new RetryPolicy(500, 10, false, 5_000), false, 1 << 20,
            new ProtocolPolicy(false, 0, false, null, 0, false), null, new IpcLog(true, line -> { }));
    }

    private static final ConnectionListener IGNORE = new ConnectionListener() {
        @Override
        public void connected(Connection connection) {
        }

        @Override
        public void message(Connection connection, WireMessage message) {
        }

        @Override
        public void raw(Connection connection, ByteBuf bytes) {
        }

        @Override
        public void failure(Connection connection, DecodeFailure failure) {
        }

        @Override
        public void error(Connection connection, Throwable cause) {
        }

        @Override
        public void disconnected(Connection connection) {
        }
    };

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
