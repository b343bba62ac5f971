package io.jipc.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;

/**
 * Where a stream server listens or a stream client connects: a Unix socket path or a TCP host and
 * port. Knows the channel classes, address form and socket options of its kind; knows nothing of
 * framing or JSON. Immutable.
 */
public interface StreamEndpoint {
    /** @return a human-readable name for messages ("/tmp/app.world", "127.0.0.1:8000") */
    String describe();

    /** @return the listening channel class for {@code flavor} */
    Class<? extends ServerChannel> serverChannel(IoFlavor flavor);

    /** @return the connecting channel class for {@code flavor} */
    Class<? extends Channel> channel(IoFlavor flavor);

    /** @return the address to bind or connect to, in the form {@code flavor}'s channels take */
    SocketAddress address(IoFlavor flavor);

    /**
     * Called before binding: checks and prepares the address (Unix: stale socket file).
     * @throws IllegalStateException when the address cannot be used, naming why
     */
    void beforeBind(boolean unlink);

    /** Called once the listener is bound (Unix: sets the socket file's mode). */
    void afterBind();

    /** Called after the listener closed: removes what binding left behind (Unix: the socket file). */
    void afterClose();

    /** Sets socket options on a server bootstrap (e.g. TCP_NODELAY for accepted sockets). */
    void configure(ServerBootstrap bootstrap, IoFlavor flavor);

    /** Sets socket options on a client bootstrap. */
    void configure(Bootstrap bootstrap);

    /** Binds a client bootstrap's local end before connecting, if configured; @return the connect future */
    io.netty.channel.ChannelFuture connect(Bootstrap bootstrap, IoFlavor flavor);
}
