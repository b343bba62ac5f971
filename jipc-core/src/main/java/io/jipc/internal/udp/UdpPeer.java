package io.jipc.internal.udp;

import io.jipc.internal.connection.Connection;
import io.jipc.internal.connection.PeerState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One remote UDP endpoint (address and port) as the peer table knows it, plus the start of a frame
 * that arrived without its delimiter (joined with that peer's next datagram, as node-ipc 14 does).
 * Writes go out on the shared datagram channel, one frame per datagram.
 */
final class UdpPeer extends PeerState {
    private final Channel channel;
    private final InetSocketAddress address;
    private final UdpPeerTable table;
    /** Bytes of an incomplete frame (event-loop confined), or null. */
    ByteBuf partial;
    /** When this peer was last heard from or written to (event-loop confined), in nanos. */
    long lastSeen;

    UdpPeer(Channel channel, InetSocketAddress address, UdpPeerTable table) {
        this.channel = channel;
        this.address = address;
        this.table = table;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    /** @return the shared datagram channel's outbound buffer (datagrams queued for every peer) */
    @Override
    public long queuedBytes() {
        return Connection.outboundBytes(channel);
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public CompletableFuture<Void> write(ByteBuf frame) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(new DatagramPacket(frame, address)).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    @Override
    public ChannelFuture closeAfterFlush() {
        return close();
    }

    @Override
    public ChannelFuture close() {
        table.forget(this);
        return channel.newSucceededFuture();
    }

    void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    @Override
    public String toString() {
        return "UdpPeer#" + sequence() + "(" + address + ")";
    }
}
