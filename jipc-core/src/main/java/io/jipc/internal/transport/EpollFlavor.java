package io.jipc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

/** Linux native epoll (gives Unix peer credentials). Use only when {@code Epoll.isAvailable()}. */
final class EpollFlavor implements IoFlavor {
    static final EpollFlavor INSTANCE = new EpollFlavor();

    private EpollFlavor() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public IoHandlerFactory ioHandlerFactory(SelectStrategyFactory strategy) {
        return EpollIoHandler.newFactory(0, strategy); // 0: Netty's default size of the ready-events array
    }

    @Override
    public Class<? extends ServerChannel> unixServerChannel() {
        return EpollServerDomainSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> unixChannel() {
        return EpollDomainSocketChannel.class;
    }

    @Override
    public SocketAddress unixAddress(Path path) {
        return new DomainSocketAddress(path.toString());
    }

    @Override
    public Class<? extends ServerChannel> tcpServerChannel() {
        return EpollServerSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> tcpChannel() {
        return EpollSocketChannel.class;
    }

    @Override
    public DatagramChannel newDatagramChannel(boolean ipv6) {
        return new EpollDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    }

    @Override
    public ChannelOption<Boolean> reusePortOption() {
        return EpollChannelOption.SO_REUSEPORT;
    }
}
