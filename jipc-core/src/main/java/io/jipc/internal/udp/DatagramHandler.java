package io.jipc.internal.udp;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.DelimiterSearch;
import io.jipc.internal.codec.MessageDecoder;
import io.jipc.internal.codec.ProtocolErrorCode;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.connection.ConnectionListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * Turns datagrams into events. Raw mode: one {@code raw} event per datagram with its exact bytes.
 * Framed mode: every complete frame in the datagram is delivered; a trailing part without delimiter
 * is kept per peer and joined with that peer's next datagram (node-ipc 14), bounded by
 * {@code maxFrameLength}. Bad frames become {@code failure} events; nothing else is affected.
 */
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final EngineSettings settings;
    private final UdpPeerTable peers;
    private final ConnectionListener listener;

    DatagramHandler(EngineSettings settings, UdpPeerTable peers, ConnectionListener listener) {
        this.settings = settings;
        this.peers = peers;
        this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        UdpPeer peer = peers.touch(ctx.channel(), packet.sender(), System.nanoTime());
        ByteBuf content = packet.content();
        try {
            if (settings.raw()) {
                listener.raw(peer, ByteBufUtil.getBytes(content));
            } else {
                frames(peer, content);
            }
        } catch (RuntimeException e) {
            settings.log().warn("UDP listener threw for " + peer, e);
        }
    }

    private void frames(UdpPeer peer, ByteBuf content) {
        ByteBuf in = content;
        if (peer.partial != null) {
            peer.partial.writeBytes(content);
            in = peer.partial;
            peer.partial = null;
        }
        try {
            byte[] delimiter = settings.delimiter();
            int end;
            while ((end = DelimiterSearch.indexOf(in, in.readerIndex(), in.writerIndex(), delimiter)) >= 0) {
                int length = end - in.readerIndex();
                ByteBuf frame = in.readSlice(length);
                in.skipBytes(delimiter.length);
                if (length > settings.maxFrameLength()) {
                    listener.failure(peer, new DecodeFailure(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE,
                        "frame of " + length + " bytes exceeds maxFrameLength=" + settings.maxFrameLength()));
                    continue;
                }
                deliver(peer, MessageDecoder.decode(frame, settings.mapper()));
            }
            if (in.isReadable()) {
                if (in.readableBytes() > settings.maxFrameLength()) {
                    listener.failure(peer, new DecodeFailure(ProtocolErrorCode.ERR_IPC_FRAME_TOO_LARGE,
                        "unterminated frame of " + in.readableBytes() + " bytes exceeds maxFrameLength="
                            + settings.maxFrameLength() + "; dropped"));
                } else {
                    peer.partial = Unpooled.buffer(in.readableBytes() * 2).writeBytes(in);
                }
            }
        } finally {
            if (in != content) {
                in.release();
            }
        }
    }

    private void deliver(UdpPeer peer, Object decoded) {
        if (decoded instanceof WireMessage) {
            listener.message(peer, (WireMessage) decoded);
        } else {
            listener.failure(peer, (DecodeFailure) decoded);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.error(null, cause);
    }
}
