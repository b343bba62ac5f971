package io.jipc.internal.server;

import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.RecordRoute;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.connection.Connection;
import io.jipc.internal.connection.ConnectionListener;
import io.jipc.internal.connection.ChannelHandlerFactory;
import io.jipc.internal.connection.Pipelines;
import io.jipc.internal.transport.EventLoops;
import io.jipc.internal.transport.StreamEndpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A listening Unix socket and its accepted connections. {@link #start()} and {@link #stop()} are
 * synchronised; everything else is safe from any thread. Events go to the {@link ConnectionListener}
 * on each connection's event loop.
 */
public final class ServerEngine implements ServerTransport {
    private final EventLoops loops;
    private final EngineSettings settings;
    private final StreamEndpoint endpoint;
    private final ChannelHandlerFactory tls;
    private final ConnectionListener listener;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    /** Every accepted channel from the moment it is initialised, so stop() can close even those not yet active. */
    private final ChannelGroup children = new DefaultChannelGroup("jipc-server", GlobalEventExecutor.INSTANCE);
    private volatile boolean accepting;
    private Channel serverChannel;

    /**
     * @param loops    event loops to run on
     * @param settings validated settings
     * @param endpoint where to listen
     * @param tls      makes the TLS handler of each accepted channel, or {@code null} for plain
     * @param listener receives every connection's events
     */
    public ServerEngine(EventLoops loops, EngineSettings settings, StreamEndpoint endpoint,
                        ChannelHandlerFactory tls, ConnectionListener listener) {
        this.loops = loops;
        this.settings = settings;
        this.endpoint = endpoint;
        this.tls = tls;
        this.listener = listener;
    }

    /** @return where this server listens */
    public StreamEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String describe() {
        return endpoint.describe();
    }

    /** @return the bound local address (e.g. the actual port after binding port 0), or null when not listening */
    @Override
    public synchronized java.net.SocketAddress localAddress() {
        return serverChannel == null ? null : serverChannel.localAddress();
    }

    /** @return whether the server is listening */
    @Override
    public synchronized boolean isListening() {
        return serverChannel != null && serverChannel.isActive();
    }

    /**
     * Binds and listens; returns once listening.
     * @throws IllegalStateException naming the path and the cause when binding fails
     */
    @Override
    public synchronized void start() {
        if (isListening()) {
            return;
        }
        endpoint.beforeBind(settings.unlink());
        accepting = true;
        ServerBootstrap b = new ServerBootstrap()
            .group(loops.group())
            .channel(endpoint.serverChannel(loops.flavor()))
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    children.add(ch);
                    if (!accepting) {
                        ch.close();
                        return;
                    }
                    if (children.size() > settings.maxConnections()) {
                        settings.log().warn("refusing connection: maxConnections=" + settings.maxConnections()
                            + " reached", null);
                        ch.close();
                        return;
                    }
                    Pipelines.install(ch, settings, tls == null ? null : tls.newHandler(ch), tracking);
                }
            });
        endpoint.configure(b, loops.flavor());
        ChannelFuture bound = b.bind(endpoint.address(loops.flavor())).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            accepting = false;
            Throwable cause = bound.cause();
            throw new IllegalStateException("cannot listen on " + endpoint.describe() + ": " + describe(cause), cause);
        }
        serverChannel = bound.channel();
        try {
            endpoint.afterBind();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        settings.log().debug("listening on " + endpoint.describe() + " (" + loops.flavor().name() + ")");
    }

    /**
     * Closes every connection (each reports its disconnect) and stops listening; removes the socket file.
     * Waits up to 5 s for the closes to finish. Idempotent.
     */
    @Override
    public synchronized void stop() {
        accepting = false;
        Channel ch = serverChannel;
        serverChannel = null;
        if (ch != null) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            EventLoops.awaitSelectorTurn(ch.eventLoop());
        }
        // a channel initialised after this sees accepting == false and closes itself
        children.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ch != null) {
            endpoint.afterClose();
        }
    }

    /** @return the open connections in the order they were accepted */
    @Override
    public List<Connection> connections() {
        List<Connection> list = new ArrayList<>(connections.values());
        list.sort(Comparator.comparingLong(Connection::sequence));
        return list;
    }

    /** Writes one encoded frame to every open connection; takes ownership of {@code frame}. */
    @Override
    public void broadcast(ByteBuf frame) {
        try {
            for (Connection c : connections.values()) {
                c.offerShared(frame); // small frames are copied (no object per receiver); no future: nobody waits
            }
        } finally {
            frame.release();
        }
    }

    private static String describe(Throwable cause) {
        String m = cause == null ? null : cause.getMessage();
        return m == null ? String.valueOf(cause) : m;
    }

    /** Keeps {@link #connections} in step and forwards everything. */
    private final ConnectionListener tracking = new ConnectionListener() {
        @Override
        public void connected(Connection c) {
            connections.put(c.sequence(), c);
            listener.connected(c);
        }

        @Override
        public void message(Connection c, WireMessage m) {
            listener.message(c, m);
        }

        @Override
        public void raw(Connection c, ByteBuf bytes) {
            listener.raw(c, bytes);
        }

        @Override
        public void raw(Connection c, byte[] bytes) {
            listener.raw(c, bytes);
        }

        @Override
        public void failure(Connection c, DecodeFailure f) {
            listener.failure(c, f);
        }

        @Override
        public void error(Connection c, Throwable cause) {
            listener.error(c, cause);
        }

        @Override
        public void disconnected(Connection c) {
            connections.remove(c.sequence());
            listener.disconnected(c);
        }

        @Override
        public void writabilityChanged(Connection c, boolean writable) {
            listener.writabilityChanged(c, writable);
        }

        @Override
        public RecordRoute.Table recordRoutes() {
            return listener.recordRoutes();
        }
    };
}
