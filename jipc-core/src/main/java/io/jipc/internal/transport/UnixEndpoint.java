package io.jipc.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.nio.file.Path;

/** A Unix-domain stream socket at a file path. */
public final class UnixEndpoint implements StreamEndpoint {
    private final Path path;

    /**
     * @param path the socket file
     * @throws IllegalArgumentException when the path is longer than the OS allows
     */
    public UnixEndpoint(Path path) {
        SocketFiles.checkLength(path.toString());
        this.path = path;
    }

    /** @return the socket file */
    public Path path() {
        return path;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public Class<? extends ServerChannel> serverChannel(IoFlavor flavor) {
        return flavor.unixServerChannel();
    }

    @Override
    public Class<? extends Channel> channel(IoFlavor flavor) {
        return flavor.unixChannel();
    }

    @Override
    public SocketAddress address(IoFlavor flavor) {
        return flavor.unixAddress(path);
    }

    @Override
    public void beforeBind(boolean unlink) {
        SocketFiles.prepareForBind(path, unlink);
    }

    @Override
    public void afterClose() {
        SocketFiles.removeIfSocket(path);
    }

    @Override
    public void configure(ServerBootstrap bootstrap) {
        // no options for Unix sockets
    }

    @Override
    public void configure(Bootstrap bootstrap) {
        // no options for Unix sockets
    }

    @Override
    public ChannelFuture connect(Bootstrap bootstrap, IoFlavor flavor) {
        return bootstrap.connect(address(flavor));
    }
}
