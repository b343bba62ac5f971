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
    private final boolean readableAll;
    private final boolean writableAll;
    private final Path secureRoot;

    /**
     * @param path        the socket file
     * @param readableAll a listening socket's file is readable by everyone
     * @param writableAll a listening socket's file is writable by everyone (needed to connect)
     * @param secureRoot  a directory to secure before binding (the socket root, when the path is in it), or null
     * @throws IllegalArgumentException when the path is longer than the OS allows
     */
    public UnixEndpoint(Path path, boolean readableAll, boolean writableAll, Path secureRoot) {
        this.secureRoot = secureRoot;
        SocketFiles.checkLength(path.toString());
        this.path = path;
        this.readableAll = readableAll;
        this.writableAll = writableAll;
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
        if (secureRoot != null) {
            SocketFiles.secureRoot(secureRoot);
        }
        SocketFiles.prepareForBind(path, unlink);
    }

    @Override
    public void afterBind() {
        SocketFiles.setMode(path, readableAll, writableAll);
    }

    @Override
    public void afterClose() {
        SocketFiles.removeIfSocket(path);
    }

    @Override
    public void configure(ServerBootstrap bootstrap, IoFlavor flavor) {
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
