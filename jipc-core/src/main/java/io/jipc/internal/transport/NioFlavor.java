package io.jipc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.net.StandardSocketOptions;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import java.nio.channels.spi.SelectorProvider;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** The JDK's own NIO (Unix sockets per JEP 380): works on every JDK 16+ platform. */
final class NioFlavor implements IoFlavor {
    static final NioFlavor INSTANCE = new NioFlavor();

    private NioFlavor() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public IoHandlerFactory ioHandlerFactory(SelectStrategyFactory strategy) {
        return NioIoHandler.newFactory(SelectorProvider.provider(), strategy);
    }

    @Override
    public Class<? extends ServerChannel> unixServerChannel() {
        return NioServerDomainSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> unixChannel() {
        return NioDomainSocketChannel.class;
    }

    @Override
    public SocketAddress unixAddress(Path path) {
        return UnixDomainSocketAddress.of(path);
    }

    @Override
    public Class<? extends ServerChannel> tcpServerChannel() {
        return NioServerSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> tcpChannel() {
        return NioSocketChannel.class;
    }

    @Override
    public DatagramChannel newDatagramChannel(boolean ipv6) {
        return new NioDatagramChannel(ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
    }

    @Override
    public ChannelOption<Boolean> reusePortOption() {
        return NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }
}
