package io.jipc.internal.connection;

import io.jipc.internal.codec.CustomFrameSplitter;
import io.jipc.internal.codec.FrameSplitter;
import io.jipc.internal.codec.MessageDecoder;
import io.jipc.internal.codec.MessagePolicyHandler;
import io.jipc.internal.config.EngineSettings;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;

/**
 * Installs the inbound pipeline on a new channel:
 * <pre>
 *   framed: bytes → [TLS] → FrameSplitter (splits, decodes, [checks the policy]) → ConnectionHandler → listener
 *           (the splitter calls the ConnectionHandler itself, not through the pipeline)
 *   custom framing: bytes → [TLS] → CustomFrameSplitter → MessageDecoder → [MessagePolicy] → ConnectionHandler → listener
 *   raw:    bytes → [TLS] →                                  ConnectionHandler → listener
 * </pre>
 * With TLS, the connection counts as connected once the handshake succeeded (node-ipc 14 semantics);
 * a failed handshake is reported as an error and the channel closes.
 * Outbound frames are encoded by the caller (see {@code FrameEncoder}) and written as finished buffers.
 */
public final class Pipelines {
    /**
     * Largest read from a socket at once. Netty's default is 64 KiB; reads of up to 256 KiB halve the system calls
     * and the writer's wake-ups in a flood and carried raw 16 KiB frames over a Unix socket 25% faster on 2 vCPU
     * (150k to 187k frames/s), with 1 MiB no better. A read starts at 2 KiB and grows only while reads fill it, so
     * a quiet connection never gets there, and the buffer is released once the read is processed.
     */
    static final int MAX_READ = 256 * 1024;
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ);

    private Pipelines() {
    }

    /**
     * Sets up {@code channel} for {@code settings}, reporting to {@code listener}.
     * @param tls the TLS handler to put first, or {@code null}
     */
    public static void install(Channel channel, EngineSettings settings, ChannelHandler tls,
                               ConnectionListener listener) {
        ChannelPipeline p = channel.pipeline();
        if (tls != null) {
            p.addLast("tls", tls);
        }
        FrameSplitter splitter = null;
        if (!settings.raw()) {
            if (settings.framing() != null) {
                p.addLast("frames", new CustomFrameSplitter(settings.framing(), settings.maxFrameLength()));
                p.addLast("messages", new MessageDecoder(settings.mapper()));
                if (settings.policy().checksMessages()) {
                    p.addLast("policy", new MessagePolicyHandler(settings.policy()));
                }
            } else {
                // splits and decodes in one step; the policy's checks, if any, on the way to the connection handler
                splitter = new FrameSplitter(settings.delimiter(), settings.maxFrameLength(),
                    settings.policy().messageTimeoutMillis(), settings.mapper());
                p.addLast("frames", splitter);
            }
        }
        long high = Math.max(1, Math.min(Integer.MAX_VALUE, settings.maxPendingBytes()));
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark((int) (high / 2), (int) high));
        channel.config().setRecvByteBufAllocator(READS);
        p.addLast("connection", new ConnectionHandler(listener, settings, tls != null));
        if (splitter != null) {
            // the splitter's messages skip the pipeline's step, checked by the policy on the way
            splitter.deliverTo(p.context("connection"), settings.policy());
            splitter.readRecords(listener.recordRoutes()); // looked up per message, right before its dispatch
        }
    }

    /** @return the {@link Connection} of a channel set up by {@link #install} */
    public static Connection connectionOf(Channel channel) {
        ConnectionHandler h = channel.pipeline().get(ConnectionHandler.class);
        return h.connection(channel.pipeline().context(h));
    }
}
