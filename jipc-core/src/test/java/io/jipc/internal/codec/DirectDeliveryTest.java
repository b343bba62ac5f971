package io.jipc.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.internal.config.Defaults;
import io.jipc.internal.config.ProtocolPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrameSplitter#deliverTo}: messages go straight to the next handler, in order, and its failures to it. */
@Timeout(30)
class DirectDeliveryTest {
    /** Records what it gets; throws for a message of type "boom". */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof WireMessage m) {
                seen.add(m.type());
                if (m.type().equals("boom")) {
                    throw new Exception("handler failure");
                }
            } else {
                seen.add(((DecodeFailure) msg).code().name());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            seen.add("caught " + cause.getMessage());
        }
    }

    @Test
    void messagesAndFailuresReachTheNextHandlerInOrderAndItsFailuresItsExceptionCaught() {
        Recorder recorder = new Recorder();
        EmbeddedChannel ch = deliveringTo(recorder, null);
        try {
            ch.writeInbound(Unpooled.copiedBuffer("{\"type\":\"a\"}\f{\"type\":\"boom\"}\fnope\f{\"ty",
                StandardCharsets.UTF_8));
            ch.writeInbound(Unpooled.copiedBuffer("pe\":\"b\"}\f", StandardCharsets.UTF_8));
            ch.checkException();
            assertThat(recorder.seen).containsExactly("a", "boom", "caught handler failure", "ERR_IPC_INVALID_JSON", "b");
            assertThat((Object) ch.readInbound()).as("nothing went through the pipeline").isNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aPolicyOnTheWayRefusesWhatMessagePolicyHandlerWould() {
        Recorder recorder = new Recorder();
        // event names of at most 8 characters, reserved names refused
        EmbeddedChannel ch = deliveringTo(recorder, new ProtocolPolicy(false, 8, true, null, 0, false));
        try {
            ch.writeInbound(Unpooled.copiedBuffer("{\"type\":\"a\"}\f{\"type\":\"longer-than-8\"}\f"
                + "{\"type\":\"error\"}\fnope\f{\"type\":\"b\"}\f", StandardCharsets.UTF_8));
            ch.checkException();
            assertThat(recorder.seen).containsExactly("a", "ERR_IPC_EVENT_TOO_LARGE", "ERR_IPC_RESERVED_EVENT",
                "ERR_IPC_INVALID_JSON", "b");
            assertThat((Object) ch.readInbound()).as("nothing went through the pipeline").isNull();
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** A channel whose splitter delivers straight to {@code recorder}, checking {@code policy} (null: none). */
    private static EmbeddedChannel deliveringTo(Recorder recorder, ProtocolPolicy policy) {
        FrameSplitter splitter = new FrameSplitter(new byte[] {'\f'}, 1024, 0, Defaults.jsonMapper());
        EmbeddedChannel ch = new EmbeddedChannel(splitter, recorder);
        splitter.deliverTo(ch.pipeline().context(recorder), policy);
        return ch;
    }

    @Test
    void onlyAnInboundHandlerCanBeDeliveredTo() {
        FrameSplitter splitter = new FrameSplitter(new byte[] {'\f'}, 1024, 0, Defaults.jsonMapper());
        ChannelOutboundHandlerAdapter outbound = new ChannelOutboundHandlerAdapter();
        EmbeddedChannel ch = new EmbeddedChannel(splitter, outbound);
        try {
            assertThatThrownBy(() -> splitter.deliverTo(ch.pipeline().context(outbound), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an inbound handler");
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
