package io.jipc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

/** Unix sockets on Linux native epoll (gives peer credentials). Use only when {@code Epoll.isAvailable()}. */
final class EpollUnixTransport implements UnixTransport {
    static final EpollUnixTransport INSTANCE = new EpollUnixTransport();

    private EpollUnixTransport() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return EpollIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerChannel> serverChannelClass() {
        return EpollServerDomainSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> channelClass() {
        return EpollDomainSocketChannel.class;
    }

    @Override
    public SocketAddress address(Path path) {
        return new DomainSocketAddress(path.toString());
    }
}
