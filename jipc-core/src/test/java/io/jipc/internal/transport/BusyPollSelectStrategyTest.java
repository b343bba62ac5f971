package io.jipc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.IpcConfig;
import io.netty.channel.SelectStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link BusyPollSelectStrategy} against a scripted {@code selectNow}: what it returns, and how often it asks.
 * The real loops run with it in {@code EpollUnixBusyPollTest} and {@code NioTcpBusyPollTest}.
 */
@Timeout(10)
class BusyPollSelectStrategyTest {

    /** A {@code selectNow} that reports nothing ready until its {@code readyOnCall}-th call, then {@code count}. */
    private static final class Script implements io.netty.util.IntSupplier {
        final AtomicInteger calls = new AtomicInteger();
        final int readyOnCall;
        final int count;

        Script(int readyOnCall, int count) {
            this.readyOnCall = readyOnCall;
            this.count = count;
        }

        @Override
        public int get() {
            return calls.incrementAndGet() >= readyOnCall ? count : 0;
        }
    }

    @Test
    void whatIsReadyAtOnceIsHandledWithoutPolling() throws Exception {
        Script s = new Script(1, 3);
        assertThat(new BusyPollSelectStrategy(1_000).calculateStrategy(s, false)).isEqualTo(3);
        assertThat(s.calls).hasValue(1);
    }

    @Test
    void aLoopWithTasksLooksOnceAndGoesOnToThem() throws Exception {
        Script s = new Script(Integer.MAX_VALUE, 1);
        assertThat(new BusyPollSelectStrategy(1_000).calculateStrategy(s, true)).isZero();
        assertThat(s.calls).hasValue(1);
    }

    @Test
    void anEventDuringThePollIsHandledAtOnce() throws Exception {
        Script s = new Script(5, 2);
        assertThat(new BusyPollSelectStrategy(10_000).calculateStrategy(s, false)).isEqualTo(2);
        assertThat(s.calls).hasValue(5);
    }

    @Test
    void withNothingReadyItPollsForItsTimeThenSleeps() throws Exception {
        Script s = new Script(Integer.MAX_VALUE, 1);
        long t0 = System.nanoTime();
        assertThat(new BusyPollSelectStrategy(2_000).calculateStrategy(s, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MICROSECONDS.toNanos(2_000));
        assertThat(s.calls.get()).isGreaterThan(1);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new BusyPollSelectStrategy(0)).hasMessageContaining("busyPollMicros");
        assertThatThrownBy(() -> IpcConfig.builder().busyPollMicros(-1).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyPollMicros").hasMessageContaining("-1");
        assertThatThrownBy(() -> IpcConfig.builder().busyPollMicros(10_001).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("busyPollMicros");
        assertThat(IpcConfig.builder().build().busyPollMicros()).isZero();
        assertThat(IpcConfig.builder().busyPollMicros(50).build().busyPollMicros()).isEqualTo(50);
    }
}
