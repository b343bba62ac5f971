package io.jipc;

import io.jipc.internal.buffer.BorrowedView;
import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.RecordRoute;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.connection.Connection;
import io.jipc.internal.dispatch.Callbacks;
import io.jipc.internal.dispatch.HandlerList;
import io.jipc.internal.dispatch.HandlerTable;
import io.jipc.internal.dispatch.TypedRoute;
import io.jipc.internal.log.IpcLog;
import io.jipc.internal.connection.ConnectionListener;
import io.jipc.internal.server.ServerTransport;
import io.jipc.internal.udp.DatagramEngine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.Predicate;
import io.jipc.internal.server.ServerEngine;
import io.jipc.internal.transport.UnixEndpoint;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * node-ipc's {@code ipc.server}: a stream server (Unix socket, TCP or TLS) created by {@link Ipc#serve}
 * or {@link Ipc#serveNet}.
 *
 * <p><b>Events.</b> Messages and lifecycle events live in separate namespaces. {@link #on(String,
 * ServerHandler)} receives wire messages of that type — any type, including {@code "connect"} or
 * {@code "error"}, which are ordinary messages here and can never fire a lifecycle handler. Lifecycle
 * events have their own methods, named after node-ipc's: {@link #onStart} ({@code start}),
 * {@link #onConnect} ({@code connect}), {@link #onSocketDisconnected} ({@code socket.disconnected}),
 * {@link #onError} ({@code error}), {@link #onData} ({@code data}, raw mode; {@link #onRawBuffer} is its
 * allocation-free twin).
 *
 * <p><b>Threading and order.</b> Handlers run on the connection's I/O thread: per connection, in
 * arrival order, {@code connect} first and {@code socket.disconnected} last. Handlers may be added at
 * any time from any thread. Emits may come from any thread.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds (blocking until listening), {@link #stop()} closes every
 * connection and removes the socket file; a stopped server can be started again.
 */
public final class IpcServer {
    private final Codec codec;
    private final IpcLog log;
    private final ServerTransport engine;
    private final HandlerTable<ServerHandler<JsonNode>> handlers = new HandlerTable<>();
    private final HandlerList<Runnable> startHandlers = new HandlerList<>();
    private final HandlerList<Consumer<IpcSocket>> connectHandlers = new HandlerList<>();
    private final HandlerList<BiConsumer<IpcSocket, String>> disconnectHandlers = new HandlerList<>();
    private final HandlerList<ServerErrorHandler> errorHandlers = new HandlerList<>();
    private final HandlerList<ServerHandler<byte[]>> dataHandlers = new HandlerList<>();
    private final HandlerList<ServerHandler<ByteBuffer>> bufferHandlers = new HandlerList<>();
    private final HandlerList<AnyHandler> anyHandlers = new HandlerList<>();
    private final HandlerList<BiConsumer<IpcSocket, Boolean>> writabilityHandlers = new HandlerList<>();
    private volatile Predicate<IpcSocket> authorizer;

    /**
     * Receives every wire message, whatever its type (node-ipc's {@code '*'} listener); runs before the
     * typed handlers. Same threading and error rules as {@link ServerHandler}.
     */
    @FunctionalInterface
    public interface AnyHandler {
        /**
         * @param type   the message type
         * @param data   the payload ({@code MissingNode} when none)
         * @param socket the connection it arrived on
         * @throws Exception anything; reported, never fatal
         */
        void handle(String type, JsonNode data, IpcSocket socket) throws Exception;
    }

    IpcServer(Ipc ipc, Function<ConnectionListener, ServerTransport> transport) {
        this.codec = ipc.codec();
        this.log = ipc.log();
        this.engine = transport.apply(new Events());
    }

    /** @return the socket file path for a Unix-socket server, or {@code null} for a network server */
    public Path path() {
        if (engine instanceof ServerEngine && ((ServerEngine) engine).endpoint() instanceof UnixEndpoint) {
            return ((UnixEndpoint) ((ServerEngine) engine).endpoint()).path();
        }
        return null;
    }

    /** @return whether this is a UDP endpoint ({@code serveNet(…, NetType.UDP4|UDP6)}) */
    public boolean isUdp() {
        return engine instanceof DatagramEngine;
    }

    /** @return the bound address ({@code InetSocketAddress} with the real port for TCP), or null when stopped */
    public SocketAddress localAddress() {
        return engine.localAddress();
    }

    /** @return where this server listens, for messages ("/tmp/app.world", "127.0.0.1:8000") */
    public String endpoint() {
        return engine.describe();
    }

    /**
     * Starts listening and fires {@code start}; returns once listening. Idempotent while running.
     * @return this server
     * @throws IpcException naming the path when binding fails (path in use, not a socket, no permission)
     */
    public IpcServer start() {
        try {
            engine.start();
        } catch (RuntimeException e) {
            Throwable mapped = Codec.publicCause(e);
            throw mapped instanceof IpcException ? (IpcException) mapped : new IpcException(e.getMessage(), e);
        }
        for (Runnable r : startHandlers) {
            try {
                r.run();
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                reportError(new IpcException("start handler threw: " + t, t), null);
            }
        }
        return this;
    }

    /** Closes every connection (each fires {@code socket.disconnected}), stops listening, removes the socket file. */
    public void stop() {
        engine.stop();
    }

    /** @return whether the server is listening */
    public boolean isListening() {
        return engine.isListening();
    }

    /** @return the connected sockets in the order they connected (a snapshot) */
    public List<IpcSocket> sockets() {
        List<IpcSocket> out = new ArrayList<>();
        for (Connection c : engine.connections()) {
            out.add(socketOf(c));
        }
        return out;
    }

    /** Handles messages of {@code type} with their JSON payload. @return this */
    public IpcServer on(String type, ServerHandler<JsonNode> handler) {
        handlers.add(type, handler);
        return this;
    }

    /**
     * Handles messages of {@code type} bound to a Java type (records included); a payload that does not
     * bind is reported as an {@code error} ({@link IpcProtocolException.Code#ERR_IPC_PAYLOAD_BINDING}).
     * Binding is Jackson's ({@code treeToValue} with the configured mapper); a plain record under a
     * default-configured mapper is built straight from the parsed members when they need no conversion,
     * with the same result and about an eighth of the cost. When every handler of {@code type} takes the
     * same such record and no {@link #onAny} handler is registered, payloads are read from the frame straight
     * into the record, without a JSON tree; a message decoded so goes to the handlers of its type as they were
     * when it was decoded, right before its dispatch.
     * @return this
     */
    public <T> IpcServer on(String type, Class<T> payloadType, ServerHandler<T> handler) {
        handlers.add(type, new TypedHandlers.OnServer<>(codec.binding(payloadType, type), handler));
        return this;
    }

    /** Handles every message whatever its type, before the typed handlers. @return this */
    public IpcServer onAny(AnyHandler handler) {
        anyHandlers.add(handler);
        handlers.addedAnyHandler();
        return this;
    }

    /** Removes every handler of message {@code type}. @return this */
    public IpcServer off(String type) {
        handlers.remove(type);
        return this;
    }

    /** {@code start}: after the server starts listening. @return this */
    public IpcServer onStart(Runnable handler) {
        startHandlers.add(handler);
        return this;
    }

    /** {@code connect}: a client connected. @return this */
    public IpcServer onConnect(Consumer<IpcSocket> handler) {
        connectHandlers.add(handler);
        return this;
    }

    /** {@code socket.disconnected}: a client's connection closed; gets the socket and its id (or null). @return this */
    public IpcServer onSocketDisconnected(BiConsumer<IpcSocket, String> handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    /**
     * Decides, for each new connection and before any event for it is delivered, whether to keep it.
     * Typically checks {@link IpcSocket#peerCredentials()} (uid, gid, pid of a Unix-socket peer). A
     * refused (or throwing) check closes the connection at once and reports an {@code error} with
     * {@link IpcProtocolException.Code#ERR_IPC_UNAUTHORIZED}; no {@code connect}, message or
     * {@code socket.disconnected} event fires for it. Runs on the I/O thread; keep it quick.
     * @param check returns true to accept
     * @return this
     */
    public IpcServer authorize(Predicate<IpcSocket> check) {
        authorizer = check;
        return this;
    }

    /**
     * Writability of a connection changed: false once its outbound queue passed {@code maxPendingBytes}
     * (emits then fail with {@code ERR_IPC_BACKPRESSURE}), true again below half of it. Use it to pause
     * producing for a slow client. @return this
     */
    public IpcServer onWritabilityChanged(BiConsumer<IpcSocket, Boolean> handler) {
        writabilityHandlers.add(handler);
        return this;
    }

    /** {@code error}: socket errors, refused frames, handler exceptions. @return this */
    public IpcServer onError(ServerErrorHandler handler) {
        errorHandlers.add(handler);
        return this;
    }

    /**
     * {@code data}: raw bytes in rawBuffer mode, exactly as read, in a new array per read that the handler
     * may keep. Runs before the {@link #onRawBuffer} handlers of the same read. @return this
     */
    public IpcServer onData(ServerHandler<byte[]> handler) {
        dataHandlers.add(handler);
        return this;
    }

    /**
     * {@code data} without allocating: raw bytes in rawBuffer mode, exactly as read, lent to the handler as a
     * read-only {@link ByteBuffer} (position 0, limit = the number of bytes read, big-endian). Once warm no
     * object is allocated per read, unlike {@link #onData}, whose array is copied only while an
     * {@code onData} handler is registered.
     *
     * <p><b>Borrowed, not owned:</b> the buffer is valid only during the call; the next read reuses it. Do not
     * keep it, a duplicate or slice of it, or hand it to another thread: copy the bytes you need
     * ({@code get(byte[])}) before returning. Its position, limit and byte order are the handler's to move;
     * each handler gets it reset. Its capacity may exceed the limit: bytes past the limit are not part of
     * this read.
     *
     * <p><b>Threading:</b> runs on the connection's I/O thread, in arrival order, after the {@code onData}
     * handlers of the same read; never block in it. <b>Errors:</b> anything it throws is reported to the
     * {@link #onError} handlers; the connection and the other handlers carry on. A read is whatever the
     * transport delivered: one emit may arrive in several reads and several emits in one.
     *
     * @param handler receives each read and the socket it arrived on
     * @return this
     * @throws IllegalStateException when rawBuffer mode is off (framed mode never delivers raw bytes)
     */
    public IpcServer onRawBuffer(ServerHandler<ByteBuffer> handler) {
        codec.requireRaw("onRawBuffer");
        bufferHandlers.add(handler);
        return this;
    }

    /**
     * Sends one message to one client.
     * @param data any value Jackson can write, a {@code JsonNode}, or {@code null}
     * @return completes when the frame is written, or fails with the reason (socket closed, …)
     * @throws IllegalArgumentException when {@code data} cannot be written as JSON
     */
    public CompletionStage<Void> emit(IpcSocket socket, String type, Object data) {
        if (engine instanceof DatagramEngine) {
            return send(socket.connection(), codec.frame(type, data)); // checked to fit one datagram
        }
        return codec.mapped(codec.encode(type, data, socket.connection().sends()));
    }

    /**
     * UDP: sends one message to the endpoint at {@code peer} (node-ipc's {@code emit({address, port}, …)}),
     * adding it to the peers {@link #broadcast} reaches.
     * @return completes when the datagram is sent
     * @throws IllegalStateException on a stream server, or before {@link #start()}
     * @throws IllegalArgumentException when the frame does not fit one datagram
     */
    public CompletionStage<Void> emit(InetSocketAddress peer, String type, Object data) {
        return send(udp().peer(peer), codec.frame(type, data));
    }

    /** UDP raw mode: sends exactly {@code bytes} in one datagram to {@code peer}. @return completes when sent */
    public CompletionStage<Void> emit(InetSocketAddress peer, byte[] bytes) {
        return send(udp().peer(peer), codec.rawBytes(bytes));
    }

    private DatagramEngine udp() {
        if (!(engine instanceof DatagramEngine)) {
            throw new IllegalStateException("emit to an address is for UDP endpoints; " + engine.describe()
                + " is a stream server: emit to an IpcSocket");
        }
        return (DatagramEngine) engine;
    }

    private CompletionStage<Void> send(Connection c, ByteBuf frame) {
        return codec.mapped(c.write(fitted(frame)));
    }

    /** @return {@code frame}, once checked to fit one datagram on a UDP server (released, and thrown, if not) */
    private ByteBuf fitted(ByteBuf frame) {
        if (engine instanceof DatagramEngine) {
            try {
                ((DatagramEngine) engine).checkFits(frame);
            } catch (RuntimeException e) {
                frame.release();
                throw e;
            }
        }
        return frame;
    }

    /** {@link IpcSocket#offer}: a frame with no completion stage. */
    boolean offer(IpcSocket socket, ByteBuf frame) {
        return socket.connection().offer(fitted(frame));
    }

    Codec codec() {
        return codec;
    }

    /**
     * Framed mode: sends message {@code type} with no payload (JavaScript {@code undefined}; sent as
     * {@code {}}). Raw mode: sends the string itself as bytes in the configured {@code encoding}.
     * @return as {@link #emit(IpcSocket, String, Object)}
     */
    public CompletionStage<Void> emit(IpcSocket socket, String type) {
        if (codec.raw()) {
            return send(socket.connection(), codec.rawText(type));
        }
        return emit(socket, type, Codec.MISSING);
    }

    /** rawBuffer mode: sends exactly {@code bytes}. @return completes when written */
    public CompletionStage<Void> emit(IpcSocket socket, byte[] bytes) {
        return send(socket.connection(), codec.rawBytes(bytes));
    }

    /**
     * rawBuffer mode: sends exactly the bytes between {@code bytes}' position and limit. They are copied
     * into a pooled buffer before this returns, and the buffer's position, limit and mark are left as they
     * were: the caller may change or reuse it (e.g. emit it again) as soon as the call returns. Safe from
     * any thread, but the buffer itself must not be changed by another thread during the call.
     * @return completes when written, or fails with the reason (socket closed, backpressure)
     * @throws IllegalStateException when rawBuffer mode is off
     */
    public CompletionStage<Void> emit(IpcSocket socket, ByteBuffer bytes) {
        return send(socket.connection(), codec.rawBytes(bytes));
    }

    /** Sends one message to every connected client; the frame is encoded once. */
    public void broadcast(String type, Object data) {
        engine.broadcast(codec.frame(type, data));
    }

    /** Framed mode: broadcasts {@code type} with no payload. Raw mode: broadcasts the string as bytes in {@code encoding}. */
    public void broadcast(String type) {
        if (codec.raw()) {
            engine.broadcast(codec.rawText(type));
            return;
        }
        broadcast(type, Codec.MISSING);
    }

    /** rawBuffer mode: sends exactly {@code bytes} to every connected client. */
    public void broadcast(byte[] bytes) {
        engine.broadcast(codec.rawBytes(bytes));
    }

    /**
     * rawBuffer mode: sends exactly the bytes between {@code bytes}' position and limit to every connected
     * client. They are copied once, before this returns; {@code bytes} is left as it was and may be reused
     * at once (as {@link #emit(IpcSocket, ByteBuffer)}).
     * @throws IllegalStateException when rawBuffer mode is off
     */
    public void broadcast(ByteBuffer bytes) {
        engine.broadcast(codec.rawBytes(bytes));
    }

    private IpcSocket socketOf(Connection c) {
        Object s = c.attachment();
        if (s == null) {
            s = new IpcSocket(this, c);
            c.attachment(s);
        }
        return (IpcSocket) s;
    }

    void reportError(Throwable error, IpcSocket socket) {
        if (errorHandlers.isEmpty()) {
            log.warn("server error" + (socket == null ? "" : " on " + socket), error);
            return;
        }
        for (ServerErrorHandler h : errorHandlers) {
            try {
                h.onError(error, socket);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                log.warn("error handler threw", t);
            }
        }
    }

    private <T> void call(ServerHandler<T> h, T data, IpcSocket s, String what) {
        try {
            h.handle(data, s);
        } catch (Throwable t) {
            handlerThrew(t, what, s);
        }
    }

    /** Reports what a task of {@link IpcSocket#execute} threw. */
    void taskThrew(Throwable t, IpcSocket s) {
        handlerThrew(t, "execute task", s);
    }

    /** Reports what a {@code what} handler threw (fatal JVM errors are rethrown). */
    private void handlerThrew(Throwable t, String what, IpcSocket s) {
        Callbacks.rethrowIfFatal(t);
        reportError(t instanceof IpcException ? t : new IpcException(what + " handler threw: " + t, t), s);
    }

    /** Engine events → user handlers. */
    private final class Events implements ConnectionListener {
        @Override
        public void connected(Connection c) {
            IpcSocket s = socketOf(c);
            if (!authorized(s)) {
                return;
            }
            for (Consumer<IpcSocket> h : connectHandlers) {
                call((d, sock) -> h.accept(sock), null, s, "connect");
            }
        }

        @Override
        public void writabilityChanged(Connection c, boolean writable) {
            IpcSocket s = socketOf(c);
            for (BiConsumer<IpcSocket, Boolean> h : writabilityHandlers) {
                call((d, sock) -> h.accept(sock, writable), null, s, "writability");
            }
        }

        private boolean authorized(IpcSocket s) {
            Predicate<IpcSocket> check = authorizer;
            if (check == null) {
                return true;
            }
            boolean ok;
            try {
                ok = check.test(s);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                ok = false;
            }
            if (!ok) {
                s.refused = true;
                s.connection().close();
                PeerCredentials p = s.peerCredentials();
                reportError(new IpcProtocolException(IpcProtocolException.Code.ERR_IPC_UNAUTHORIZED,
                    "connection refused by the authorize hook" + (p == null ? "" : " (peer " + p + ")"), null), s);
            }
            return ok;
        }

        @Override
        public RecordRoute.Table recordRoutes() {
            return handlers;
        }

        @Override
        public void message(Connection c, WireMessage m) {
            IpcSocket s = socketOf(c);
            if (s.refused) {
                return;
            }
            Object record = m.record();
            if (record != null) {
                // read straight into the record its route's handlers take: those handlers, and no any-handler
                TypedRoute<?> route = (TypedRoute<?>) m.route();
                for (int i = 0; i < route.size(); i++) {
                    try {
                        ((TypedHandlers.OnServer<?>) route.handler(i)).handleRecord(record, s);
                    } catch (Throwable t) {
                        handlerThrew(t, "\"" + m.type() + "\"", s);
                    }
                }
                return;
            }
            // no lambda or label per message: the label is built only when a handler throws
            for (AnyHandler h : anyHandlers) {
                try {
                    h.handle(m.type(), m.data(), s);
                } catch (Throwable t) {
                    handlerThrew(t, "any-message", s);
                }
            }
            for (ServerHandler<JsonNode> h : handlers.get(m.type())) {
                try {
                    h.handle(m.data(), s);
                } catch (Throwable t) {
                    handlerThrew(t, "\"" + m.type() + "\"", s);
                }
            }
        }

        /** Stream reads: the buffer is borrowed; an array is made only for {@code onData} handlers. */
        @Override
        public void raw(Connection c, ByteBuf bytes) {
            IpcSocket s = socketOf(c);
            if (s.refused) {
                return;
            }
            if (bufferHandlers.isEmpty()) {
                deliver(s, dataHandlers.isEmpty() ? null : ByteBufUtil.getBytes(bytes), null);
                return;
            }
            try (BorrowedView view = BorrowedView.of(bytes)) {
                deliver(s, dataHandlers.isEmpty() ? null : ByteBufUtil.getBytes(bytes), view);
            }
        }

        /** Datagrams: the array is already ours to hand on. */
        @Override
        public void raw(Connection c, byte[] bytes) {
            IpcSocket s = socketOf(c);
            if (s.refused) {
                return;
            }
            if (bufferHandlers.isEmpty()) {
                deliver(s, bytes, null);
                return;
            }
            // copied before the onData handlers run: they own the array and may change it
            try (BorrowedView view = BorrowedView.of(bytes)) {
                deliver(s, bytes, view);
            }
        }

        private void deliver(IpcSocket s, byte[] array, BorrowedView view) {
            if (array != null) {
                for (ServerHandler<byte[]> h : dataHandlers) {
                    call(h, array, s, "data");
                }
            }
            if (view != null) {
                for (ServerHandler<ByteBuffer> h : bufferHandlers) {
                    call(h, view.view(), s, "rawBuffer");
                }
            }
        }

        @Override
        public void failure(Connection c, DecodeFailure f) {
            reportError(Codec.toException(f), socketOf(c));
        }

        @Override
        public void error(Connection c, Throwable cause) {
            reportError(Codec.publicCause(cause), c == null ? null : socketOf(c));
        }

        @Override
        public void disconnected(Connection c) {
            IpcSocket s = socketOf(c);
            if (s.refused) {
                return;
            }
            for (BiConsumer<IpcSocket, String> h : disconnectHandlers) {
                call((d, sock) -> h.accept(sock, sock.id()), null, s, "socket.disconnected");
            }
        }
    }
}
