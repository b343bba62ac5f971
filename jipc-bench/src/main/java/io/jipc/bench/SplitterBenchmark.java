package io.jipc.bench;

import io.jipc.internal.codec.FrameSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * jipc's {@link FrameSplitter} against Netty's {@link DelimiterBasedFrameDecoder} (same delimiter, same max
 * length): 1 MiB of frames fed in {@code chunk}-byte reads, as a socket would deliver them. Score = time per
 * 1 MiB stream (divide by 1 MiB / frame size for the time per frame).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SplitterBenchmark {
    static final int STREAM = 1 << 20;

    @Param({"100", "16384"})
    public int size;

    /** bytes per read; 65536 is a typical epoll read, 1000 an unlucky small-chunk stream */
    @Param({"65536", "1000"})
    public int chunk;

    private ByteBuf[] chunks;
    private int frames;
    private EmbeddedChannel jipc;
    private EmbeddedChannel netty;

    @Setup(Level.Trial)
    public void setup() {
        byte[] f = Peers.frame(size);
        frames = STREAM / f.length;
        byte[] all = new byte[frames * f.length];
        for (int i = 0; i < frames; i++) {
            System.arraycopy(f, 0, all, i * f.length, f.length);
        }
        int n = (all.length + chunk - 1) / chunk;
        chunks = new ByteBuf[n];
        for (int i = 0; i < n; i++) {
            int from = i * chunk;
            chunks[i] = Unpooled.unreleasableBuffer(Unpooled.directBuffer(Math.min(chunk, all.length - from))
                .writeBytes(all, from, Math.min(chunk, all.length - from)));
        }
        jipc = channel(new FrameSplitter(new byte[] {'\f'}, 64 << 20));
        netty = channel(new DelimiterBasedFrameDecoder(64 << 20, Unpooled.wrappedBuffer(new byte[] {'\f'})));
    }

    private static EmbeddedChannel channel(ChannelHandler h) {
        return new EmbeddedChannel(h);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        jipc.finishAndReleaseAll();
        netty.finishAndReleaseAll();
    }

    private int feed(EmbeddedChannel ch) {
        int got = 0;
        for (ByteBuf c : chunks) {
            ch.writeInbound(c.duplicate().retain());
            Object o;
            while ((o = ch.readInbound()) != null) {
                ((ByteBuf) o).release();
                got++;
            }
        }
        if (got != frames) {
            throw new IllegalStateException("expected " + frames + " frames, got " + got);
        }
        return got;
    }

    @Benchmark
    public int jipcFrameSplitter() {
        return feed(jipc);
    }

    @Benchmark
    public int nettyDelimiterBasedFrameDecoder() {
        return feed(netty);
    }
}
