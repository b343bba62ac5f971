package io.jipc.internal.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import java.util.AbstractList;

/**
 * The output list a {@link FrameSplitter} decodes into when it delivers directly ({@link FrameSplitter#deliverTo}):
 * each message added is passed at once to the next handler's {@code channelRead}, on the calling thread (the
 * channel's event loop), in the order added; nothing is kept. Its size counts the messages passed on. What the
 * handler's {@code channelRead} throws goes to that handler's {@code exceptionCaught}, as Netty's pipeline would send
 * it. Not thread-safe: one per splitter.
 */
final class DirectDelivery extends AbstractList<Object> {
    private final ChannelHandlerContext next;
    private final ChannelInboundHandler handler;
    private int delivered;

    /** @param next the context of the inbound handler that gets the messages */
    DirectDelivery(ChannelHandlerContext next) {
        this.next = next;
        this.handler = (ChannelInboundHandler) next.handler();
    }

    @Override
    public boolean add(Object message) {
        delivered++;
        try {
            handler.channelRead(next, message);
        } catch (Throwable t) {
            try {
                handler.exceptionCaught(next, t);
            } catch (Exception e) {
                e.addSuppressed(t);
                throw new IllegalStateException("exceptionCaught threw while handling a channelRead failure", e);
            }
        }
        return true;
    }

    @Override
    public Object get(int index) {
        throw new UnsupportedOperationException("messages are passed on, not kept");
    }

    @Override
    public int size() {
        return delivered;
    }
}
