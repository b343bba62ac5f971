package io.jipc.internal.connection;

import io.jipc.internal.codec.FrameSplitter;
import io.jipc.internal.codec.MessageDecoder;
import io.jipc.internal.config.EngineSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;

/**
 * Installs the inbound pipeline on a new channel:
 * <pre>
 *   framed: bytes → FrameSplitter → MessageDecoder → ConnectionHandler → listener
 *   raw:    bytes →                                  ConnectionHandler → listener
 * </pre>
 * Outbound frames are encoded by the caller (see {@code FrameEncoder}) and written as finished buffers.
 */
public final class Pipelines {
    private Pipelines() {
    }

    /** Sets up {@code channel} for {@code settings}, reporting to {@code listener}. */
    public static void install(Channel channel, EngineSettings settings, ConnectionListener listener) {
        ChannelPipeline p = channel.pipeline();
        if (!settings.raw()) {
            p.addLast("frames", new FrameSplitter(settings.delimiter(), settings.maxFrameLength()));
            p.addLast("messages", new MessageDecoder(settings.mapper()));
        }
        p.addLast("connection", new ConnectionHandler(listener, settings.log()));
    }

    /** @return the {@link Connection} of a channel set up by {@link #install} */
    public static Connection connectionOf(Channel channel) {
        ConnectionHandler h = channel.pipeline().get(ConnectionHandler.class);
        return h.connection(channel.pipeline().context(h));
    }
}
