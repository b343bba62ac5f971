package io.jipc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * One family of Netty channels that share an event-loop kind: native epoll, or the JDK's NIO.
 * Stateless singletons; {@link Transports} picks one per {@code Ipc} instance, and every endpoint of
 * that instance (Unix, TCP, UDP) uses it, so all run on the same event loops.
 */
public interface IoFlavor {
    /** @return a short name for logs ("epoll", "nio") */
    String name();

    /**
     * @param strategy decides, each turn of a loop, between running what is ready and sleeping
     * @return the I/O handler factory for event loops that drive these channels
     */
    IoHandlerFactory ioHandlerFactory(SelectStrategyFactory strategy);

    /** @return the listening Unix-socket channel class */
    Class<? extends ServerChannel> unixServerChannel();

    /** @return the connecting Unix-socket channel class */
    Class<? extends Channel> unixChannel();

    /** @return the address of a Unix socket at {@code path} in the form these channels take */
    SocketAddress unixAddress(Path path);

    /** @return the listening TCP channel class */
    Class<? extends ServerChannel> tcpServerChannel();

    /** @return the connecting TCP channel class */
    Class<? extends Channel> tcpChannel();

    /** @return the option that turns SO_REUSEPORT on for this flavour's TCP server channels */
    ChannelOption<Boolean> reusePortOption();

    /**
     * @param ipv6 an IPv6 (udp6) rather than IPv4 (udp4) socket
     * @return a new unbound UDP channel
     */
    DatagramChannel newDatagramChannel(boolean ipv6);
}
