package io.jipc.internal.codec;

import io.jipc.internal.config.ProtocolPolicy;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Applies a profile's per-message checks to decoded messages: event name length, reserved names, the
 * allow-list. A message that fails becomes a {@link DecodeFailure}; the decision to close is the
 * connection's. Stateless and sharable.
 */
@ChannelHandler.Sharable
public final class MessagePolicyHandler extends ChannelInboundHandlerAdapter {
    private final ProtocolPolicy policy;

    /** @param policy the checks to apply */
    public MessagePolicyHandler(ProtocolPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WireMessage) {
            DecodeFailure refused = check(policy, ((WireMessage) msg).type(), "received");
            ctx.fireChannelRead(refused != null ? refused : msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * @param direction "received" or "sent", for the message
     * @return why {@code type} is refused under {@code policy}, or {@code null} if it is fine
     */
    public static DecodeFailure check(ProtocolPolicy policy, String type, String direction) {
        if (policy.maxEventNameLength() > 0 && type.length() > policy.maxEventNameLength()) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_EVENT_TOO_LARGE, direction + " event name of "
                + type.length() + " characters exceeds maxEventNameLength=" + policy.maxEventNameLength());
        }
        if (policy.refuseReserved() && ProtocolPolicy.RESERVED.contains(type)) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_RESERVED_EVENT, direction + " event \"" + type
                + "\" is a reserved name (lifecycle or JavaScript prototype); set allowReservedEvents to permit it");
        }
        if (policy.allowedEvents() != null && !policy.allowedEvents().contains(type)) {
            return new DecodeFailure(ProtocolErrorCode.ERR_IPC_EVENT_NOT_ALLOWED, direction + " event \""
                + (type.length() > 64 ? type.substring(0, 64) + "…" : type) + "\" is not in allowedEvents");
        }
        return null;
    }
}
