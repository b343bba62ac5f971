package io.jipc.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * One way of carrying Unix-domain stream sockets: the event-loop kind, the channel classes and the
 * address type that go together. Implementations are stateless singletons; {@link Transports} picks one.
 */
public interface UnixTransport {
    /** @return a short name for logs ("epoll", "nio") */
    String name();

    /** @return the I/O handler factory for the event loops that drive these channels */
    IoHandlerFactory ioHandlerFactory();

    /** @return the listening channel class */
    Class<? extends ServerChannel> serverChannelClass();

    /** @return the connecting channel class */
    Class<? extends Channel> channelClass();

    /** @return the socket address of {@code path} in the form these channels take */
    SocketAddress address(Path path);
}
