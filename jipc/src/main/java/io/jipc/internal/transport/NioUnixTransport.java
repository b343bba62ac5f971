package io.jipc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Unix sockets on the JDK's own NIO (JEP 380): works on every JDK 16+ platform. */
final class NioUnixTransport implements UnixTransport {
    static final NioUnixTransport INSTANCE = new NioUnixTransport();

    private NioUnixTransport() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return NioIoHandler.newFactory();
    }

    @Override
    public Class<? extends ServerChannel> serverChannelClass() {
        return NioServerDomainSocketChannel.class;
    }

    @Override
    public Class<? extends Channel> channelClass() {
        return NioDomainSocketChannel.class;
    }

    @Override
    public SocketAddress address(Path path) {
        return UnixDomainSocketAddress.of(path);
    }
}
