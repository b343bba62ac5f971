package io.jipc.internal.codec;

import io.jipc.internal.config.ProtocolPolicy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import java.util.AbstractList;

/**
 * The output list a {@link FrameSplitter} decodes into when it delivers directly ({@link FrameSplitter#deliverTo}):
 * each message added is passed at once to the next handler's {@code channelRead}, on the calling thread (the
 * channel's event loop), in the order added, after the profile's per-message checks ({@link MessagePolicyHandler}'s,
 * which then needs no place in the pipeline); nothing is kept. Its size counts the messages passed on. What the
 * handler's {@code channelRead} throws goes to that handler's {@code exceptionCaught}, as Netty's pipeline would send
 * it. Not thread-safe: one per splitter.
 */
final class DirectDelivery extends AbstractList<Object> {
    private final ChannelHandlerContext next;
    private final ChannelInboundHandler handler;
    /** The profile's per-message checks, or null when it has none. */
    private final ProtocolPolicy policy;
    private int delivered;

    /**
     * @param next   the context of the inbound handler that gets the messages
     * @param policy the checks {@link MessagePolicyHandler} would apply on the way, or null for none
     */
    DirectDelivery(ChannelHandlerContext next, ProtocolPolicy policy) {
        this.next = next;
        this.handler = (ChannelInboundHandler) next.handler();
        this.policy = policy != null && policy.checksMessages() ? policy : null;
    }

    @Override
    public boolean add(Object message) {
        delivered++;
        if (policy != null && message instanceof WireMessage m) {
            DecodeFailure refused = MessagePolicyHandler.check(policy, m.type(), "received");
            if (refused != null) {
                message = refused;
            }
        }
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
