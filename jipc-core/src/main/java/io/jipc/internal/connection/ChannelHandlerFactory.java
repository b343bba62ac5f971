package io.jipc.internal.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/** Makes a per-channel handler placed first in the pipeline (the TLS handler). Thread-safe. */
@FunctionalInterface
public interface ChannelHandlerFactory {
    /** @return a new handler for {@code channel} */
    ChannelHandler newHandler(Channel channel);
}
