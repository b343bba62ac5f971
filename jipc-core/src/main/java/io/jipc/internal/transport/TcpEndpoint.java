package io.jipc.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A TCP host and port. {@code TCP_NODELAY} is on for every socket (node-ipc 14 does the same; 9–12
 * leave Nagle on, which costs latency and changes nothing on the wire). A client may bind a local
 * address/port first (node-ipc's {@code interfaces}).
 */
public final class TcpEndpoint implements StreamEndpoint {
    private final String host;
    private final int port;
    private final InetSocketAddress local;
    private final boolean reusePort;

    /**
     * @param host  host name or literal address (IPv6 literals without brackets)
     * @param port  port, 0..65535 (0 = any, servers only)
     * @param local local address to bind before connecting, or {@code null}
     * @param reusePort servers bind with SO_REUSEPORT, so several processes can serve one port
     */
    public TcpEndpoint(String host, int port, InetSocketAddress local, boolean reusePort) {
        this.reusePort = reusePort;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 but was " + port);
        }
        this.host = host;
        this.port = port;
        this.local = local;
    }

    /** @return the host */
    public String host() {
        return host;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    @Override
    public String describe() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public Class<? extends ServerChannel> serverChannel(IoFlavor flavor) {
        return flavor.tcpServerChannel();
    }

    @Override
    public Class<? extends Channel> channel(IoFlavor flavor) {
        return flavor.tcpChannel();
    }

    @Override
    public SocketAddress address(IoFlavor flavor) {
        return new InetSocketAddress(host, port);
    }

    @Override
    public void beforeBind(boolean unlink) {
        // nothing to prepare (node-ipc 9–12 would unlink a file named after the host: not copied)
    }

    @Override
    public void afterBind() {
        // nothing to adjust
    }

    @Override
    public void afterClose() {
        // nothing left behind
    }

    @Override
    public void configure(ServerBootstrap bootstrap, IoFlavor flavor) {
        bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
        bootstrap.option(ChannelOption.SO_REUSEADDR, true);
        if (reusePort) {
            bootstrap.option(flavor.reusePortOption(), true);
        }
    }

    @Override
    public void configure(Bootstrap bootstrap) {
        bootstrap.option(ChannelOption.TCP_NODELAY, true);
    }

    @Override
    public ChannelFuture connect(Bootstrap bootstrap, IoFlavor flavor) {
        SocketAddress remote = address(flavor);
        return local == null ? bootstrap.connect(remote) : bootstrap.connect(remote, local);
    }
}
