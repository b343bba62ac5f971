package io.jipc.internal.udp;

import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.connection.Connection;
import io.jipc.internal.connection.ConnectionListener;
import io.jipc.internal.server.ServerTransport;
import io.jipc.internal.transport.EventLoops;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A UDP endpoint (node-ipc's {@code serveNet(host, port, 'udp4'|'udp6')}): one frame (or raw bytes) per
 * datagram, no header; peers are the senders it has heard from or written to, kept in a bounded
 * {@link UdpPeerTable}. Events go to the {@link ConnectionListener} on the channel's event loop;
 * {@code connected}/{@code disconnected} are not fired for UDP peers (there is no connection).
 */
public final class DatagramEngine implements ServerTransport {
    /** Largest UDP payload over IPv4 (65535 − 20 IP − 8 UDP). */
    public static final int MAX_DATAGRAM_IPV4 = 65_507;
    /** Largest UDP payload over IPv6 (65535 − 8 UDP; the IPv6 header is not counted). */
    public static final int MAX_DATAGRAM_IPV6 = 65_527;
    private static final int MAX_PEERS = 4096;
    private static final long PEER_IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final EventLoops loops;
    private final EngineSettings settings;
    private final String host;
    private final int port;
    private final boolean ipv6;
    private final ConnectionListener listener;
    private final UdpPeerTable peers;
    private Channel channel;

    /**
     * @param host     local address to bind (udp4 with an IPv6 host binds 127.0.0.1, as node-ipc does)
     * @param port     local port, 0 for any
     * @param ipv6     udp6 rather than udp4
     * @param listener receives messages, raw data and errors
     */
    public DatagramEngine(EventLoops loops, EngineSettings settings, String host, int port, boolean ipv6,
                          ConnectionListener listener) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 but was " + port);
        }
        this.loops = loops;
        this.settings = settings;
        this.host = !ipv6 && host.indexOf(':') >= 0 ? "127.0.0.1" : host;
        this.port = port;
        this.ipv6 = ipv6;
        this.listener = listener;
        this.peers = new UdpPeerTable(MAX_PEERS, PEER_IDLE_NANOS, UdpPeer::releasePartial);
    }

    @Override
    public String describe() {
        return (ipv6 ? "udp6 [" + host + "]" : "udp4 " + host) + ":" + port;
    }

    /** @return the largest frame one datagram can carry on this endpoint */
    public int maxDatagram() {
        return ipv6 ? MAX_DATAGRAM_IPV6 : MAX_DATAGRAM_IPV4;
    }

    @Override
    public synchronized void start() {
        if (isListening()) {
            return;
        }
        Bootstrap b = new Bootstrap().group(loops.group())
            .channelFactory(() -> loops.flavor().newDatagramChannel(ipv6))
            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_IPV6 + 1))
            .handler(new DatagramHandler(settings, peers, listener));
        ChannelFuture bound = b.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind " + describe() + ": " + bound.cause().getMessage(), bound.cause());
        }
        channel = bound.channel();
        settings.log().debug("listening on " + describe() + " (" + loops.flavor().name() + ")");
    }

    @Override
    public synchronized void stop() {
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            ch.eventLoop().submit(peers::clear).awaitUninterruptibly(5, TimeUnit.SECONDS);
            EventLoops.awaitSelectorTurn(ch.eventLoop());
        }
    }

    @Override
    public synchronized boolean isListening() {
        return channel != null && channel.isActive();
    }

    @Override
    public synchronized SocketAddress localAddress() {
        return channel == null ? null : channel.localAddress();
    }

    @Override
    public List<Connection> connections() {
        List<Connection> out = new ArrayList<>(peers.snapshot());
        out.sort(Comparator.comparingLong(Connection::sequence));
        return out;
    }

    @Override
    public void broadcast(ByteBuf frame) {
        try {
            checkFits(frame);
            for (UdpPeer p : peers.snapshot()) {
                p.write(frame.retainedDuplicate());
            }
        } finally {
            frame.release();
        }
    }

    /**
     * @return the peer at {@code address} (added to the table if new), for sending to it
     * @throws IllegalStateException when not listening
     */
    public Connection peer(InetSocketAddress address) {
        Channel ch;
        synchronized (this) {
            ch = channel;
        }
        if (ch == null) {
            throw new IllegalStateException("UDP endpoint " + describe() + " is not started");
        }
        return peers.touch(ch, address, System.nanoTime());
    }

    /** @throws IllegalArgumentException when {@code frame} cannot travel in one datagram (the caller still owns it) */
    public void checkFits(ByteBuf frame) {
        if (frame.readableBytes() > maxDatagram()) {
            int size = frame.readableBytes();
            throw new IllegalArgumentException("frame of " + size + " bytes does not fit one UDP datagram (max "
                + maxDatagram() + " bytes on " + (ipv6 ? "udp6" : "udp4") + "); UDP frames are never split");
        }
    }
}
