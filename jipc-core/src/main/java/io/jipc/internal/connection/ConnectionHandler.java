package io.jipc.internal.connection;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.log.IpcLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of every pipeline: turns channel events into {@link ConnectionListener} calls.
 * Guarantees {@code connected} once before anything else and {@code disconnected} once at the end;
 * a listener that throws is logged and never breaks the channel or the event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionListener listener;
    private final IpcLog log;
    private final EngineSettings settings;
    private final boolean awaitHandshake;
    private Connection connection;
    private boolean announced;
    /** A failure seen before the TLS handshake finished: reported with the handshake result, once. */
    private Throwable earlyCause;

    ConnectionHandler(ConnectionListener listener, EngineSettings settings, boolean awaitHandshake) {
        this.listener = listener;
        this.settings = settings;
        this.log = settings.log();
        this.awaitHandshake = awaitHandshake;
    }

    Connection connection(ChannelHandlerContext ctx) {
        if (connection == null) {
            connection = new StreamConnection(ctx.channel(), !awaitHandshake, settings.policy().closeOnBackpressure(),
                settings.maxPendingBytes(), listener);
        }
        return connection;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!awaitHandshake) {
            announce(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
            if (done.isSuccess()) {
                announce(ctx);
            } else {
                Throwable cause = earlyCause != null ? earlyCause : done.cause();
                javax.net.ssl.SSLHandshakeException failure =
                    new javax.net.ssl.SSLHandshakeException("TLS handshake failed: " + describe(cause));
                failure.initCause(cause);
                reportError(ctx, failure);
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void announce(ChannelHandlerContext ctx) {
        Connection c = connection(ctx);
        announced = true;
        try {
            listener.connected(c);
        } catch (RuntimeException e) {
            log.warn("connect listener threw on " + c, e);
        }
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable x = t; x != null && sb.length() < 400; x = x.getCause()) {
            String m = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
            if (x.getCause() == x) {
                break;
            }
        }
        return sb.toString();
    }

    private void reportError(ChannelHandlerContext ctx, Throwable cause) {
        try {
            listener.error(connection(ctx), cause);
        } catch (RuntimeException e) {
            log.warn("error listener threw on " + connection, e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Connection c = connection(ctx);
        try {
            if (msg instanceof WireMessage) {
                WireMessage m = (WireMessage) msg;
                rememberPeerId(c, m.dataId());
                listener.message(c, m);
            } else if (msg instanceof DecodeFailure) {
                listener.failure(c, (DecodeFailure) msg);
                if (settings.policy().closeOnViolation()) {
                    ctx.close();
                }
            } else if (msg instanceof ByteBuf) {
                listener.raw(c, (ByteBuf) msg); // borrowed: released below, after the listener returns
            }
        } catch (RuntimeException e) {
            log.warn("listener threw on " + c, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (announced) {
            try {
                listener.writabilityChanged(connection(ctx), ctx.channel().isWritable());
            } catch (RuntimeException e) {
                log.warn("writability listener threw on " + connection, e);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (awaitHandshake && !announced) {
            // reported once, with the handshake completion event that closing the channel produces
            if (earlyCause == null) {
                earlyCause = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                    ? cause.getCause() : cause;
            }
            ctx.close();
            return;
        }
        // Netty wraps codec failures (TLS alerts among them): report the real cause
        reportError(ctx, cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
            ? cause.getCause() : cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        try {
            if (announced) {
                announced = false;
                listener.disconnected(connection(ctx));
            } else {
                listener.closedBeforeConnect(connection(ctx));
            }
        } catch (RuntimeException e) {
            log.warn("disconnect listener threw on " + connection, e);
        }
        ctx.fireChannelInactive();
    }

    /** node-ipc 9–12 servers adopt any {@code data.id} string as the socket's id (found by the decoder). */
    private static void rememberPeerId(Connection c, String id) {
        if (id != null && !id.equals(c.peerId())) {
            c.peerId(id);
        }
    }
}
