package io.jipc;

import io.jipc.internal.buffer.BorrowedView;
import io.jipc.internal.client.ClientEngine;
import io.jipc.internal.client.ClientEvents;
import io.jipc.internal.codec.DecodeFailure;
import io.jipc.internal.codec.RecordRoute;
import io.jipc.internal.codec.WireMessage;
import io.jipc.internal.connection.ChannelHandlerFactory;
import io.jipc.internal.dispatch.Callbacks;
import io.jipc.internal.dispatch.HandlerList;
import io.jipc.internal.dispatch.HandlerTable;
import io.jipc.internal.dispatch.TypedRoute;
import io.jipc.internal.transport.StreamEndpoint;
import io.jipc.internal.transport.UnixEndpoint;
import io.jipc.internal.log.IpcLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * node-ipc's {@code ipc.of[id]}: a connection to one server, created by {@link Ipc#connectTo} (Unix
 * socket) or {@link Ipc#connectToNet} (TCP, or TLS when {@link IpcConfig#tls()} is set).
 *
 * <p><b>Events.</b> {@link #on(String, ClientHandler)} receives wire messages of that type — including
 * types named {@code "connect"} or {@code "error"}, which never fire lifecycle handlers. Lifecycle
 * events, named after node-ipc's: {@link #onConnect} ({@code connect}), {@link #onDisconnect}
 * ({@code disconnect}: every close, including each failed attempt), {@link #onDestroy}
 * ({@code destroy}: retrying has ended), {@link #onError} ({@code error}), {@link #onData}
 * ({@code data}, raw mode; {@link #onRawBuffer} is its allocation-free twin).
 *
 * <p><b>Reconnect</b> follows node-ipc: after a drop, up to {@code maxRetries} reconnect attempts (a first
 * connect that fails gets {@code 1 + maxRetries})
 * {@code retry} apart; an attempt that fails fires {@code error} then {@code disconnect}; when retrying
 * ends, a last {@code disconnect} then {@code destroy}. Unlike node-ipc, emits made while not connected
 * are queued and sent in order on the next connect (bounded; see {@link #emit}).
 *
 * <p><b>Threading.</b> Handlers run on the client's I/O thread, in order. Emits may come from any
 * thread; those from one thread are sent in that order.
 */
public final class IpcClient {
    private final String id;
    private final Codec codec;
    private final IpcLog log;
    private final ClientEngine engine;
    private final HandlerTable<ClientHandler<JsonNode>> handlers = new HandlerTable<>();
    private final HandlerList<Runnable> connectHandlers = new HandlerList<>();
    private final HandlerList<Runnable> disconnectHandlers = new HandlerList<>();
    private final HandlerList<Runnable> destroyHandlers = new HandlerList<>();
    private final HandlerList<Consumer<Throwable>> errorHandlers = new HandlerList<>();
    private final HandlerList<ClientHandler<byte[]>> dataHandlers = new HandlerList<>();
    private final HandlerList<ClientHandler<ByteBuffer>> bufferHandlers = new HandlerList<>();
    private final HandlerList<AnyHandler> anyHandlers = new HandlerList<>();
    private final HandlerList<Consumer<Boolean>> writabilityHandlers = new HandlerList<>();
    private volatile boolean destroyed;

    /**
     * Receives every wire message, whatever its type (node-ipc's {@code '*'} listener); runs before the
     * typed handlers. Same threading and error rules as {@link ClientHandler}.
     */
    @FunctionalInterface
    public interface AnyHandler {
        /**
         * @param type the message type
         * @param data the payload ({@code MissingNode} when none)
         * @throws Exception anything; reported, never fatal
         */
        void handle(String type, JsonNode data) throws Exception;
    }

    IpcClient(Ipc ipc, String id, StreamEndpoint endpoint, ChannelHandlerFactory tls) {
        this.id = id;
        this.codec = ipc.codec();
        this.log = ipc.log();
        this.engine = new ClientEngine(ipc.loops(), ipc.settings(), endpoint, tls, new Events(), ipc::stopRetrying);
    }

    void connect() {
        engine.connect();
    }

    /** @return the id of the server this client connects to */
    public String id() {
        return id;
    }

    /** @return the server's socket path for a Unix-socket client, or {@code null} for a network client */
    public Path path() {
        return engine.endpoint() instanceof UnixEndpoint ? ((UnixEndpoint) engine.endpoint()).path() : null;
    }

    /** @return where the server is, for messages ("/tmp/app.world", "127.0.0.1:8000") */
    public String endpoint() {
        return engine.endpoint().describe();
    }

    /** @return whether a connection is open now */
    public boolean isConnected() {
        return engine.isConnected();
    }

    /** @return whether the connection can take more writes without passing {@code maxPendingBytes} */
    public boolean isWritable() {
        return engine.isWritable();
    }

    /**
     * Bytes emitted that the kernel has not taken yet, as Node's {@code socket.writableLength}: those queued
     * while not connected (or held back in sync mode) plus the connection's outbox and Netty's outbound
     * buffer. A snapshot, safe from any thread; see {@link IpcSocket#writableLength()} for its precision.
     */
    public long writableLength() {
        return engine.writableLength();
    }

    /** @return whether retrying has ended ({@code destroy} fired) */
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Handles messages of {@code type} with their JSON payload. @return this */
    public IpcClient on(String type, ClientHandler<JsonNode> handler) {
        handlers.add(type, handler);
        return this;
    }

    /**
     * Handles messages of {@code type} bound to a Java type; binding failures go to {@code error}. Binding as
     * {@link IpcServer#on(String, Class, ServerHandler)} does it. @return this
     */
    public <T> IpcClient on(String type, Class<T> payloadType, ClientHandler<T> handler) {
        handlers.add(type, new TypedHandlers.OnClient<>(codec.binding(payloadType, type), handler));
        return this;
    }

    /** Handles every message whatever its type, before the typed handlers. @return this */
    public IpcClient onAny(AnyHandler handler) {
        anyHandlers.add(handler);
        handlers.addedAnyHandler();
        return this;
    }

    /** Removes every handler of message {@code type}. @return this */
    public IpcClient off(String type) {
        handlers.remove(type);
        return this;
    }

    /** {@code connect}. @return this */
    public IpcClient onConnect(Runnable handler) {
        connectHandlers.add(handler);
        return this;
    }

    /** Writability changed: false once the outbound queue passed {@code maxPendingBytes}, true below half. @return this */
    public IpcClient onWritabilityChanged(Consumer<Boolean> handler) {
        writabilityHandlers.add(handler);
        return this;
    }

    /** {@code disconnect}: every close, including each failed attempt. @return this */
    public IpcClient onDisconnect(Runnable handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    /** {@code destroy}: no more attempts will be made. @return this */
    public IpcClient onDestroy(Runnable handler) {
        destroyHandlers.add(handler);
        return this;
    }

    /** {@code error}: socket errors, failed attempts, refused frames, handler exceptions. @return this */
    public IpcClient onError(Consumer<Throwable> handler) {
        errorHandlers.add(handler);
        return this;
    }

    /**
     * {@code data}: raw bytes in rawBuffer mode, exactly as read, in a new array per read that the handler
     * may keep. Runs before the {@link #onRawBuffer} handlers of the same read. @return this
     */
    public IpcClient onData(ClientHandler<byte[]> handler) {
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
     * <p><b>Threading:</b> runs on the client's I/O thread, in arrival order, after the {@code onData}
     * handlers of the same read; never block in it. <b>Errors:</b> anything it throws is reported to the
     * {@link #onError} handlers; the connection and the other handlers carry on. A read is whatever the
     * transport delivered: one emit may arrive in several reads and several emits in one.
     *
     * @param handler receives each read
     * @return this
     * @throws IllegalStateException when rawBuffer mode is off (framed mode never delivers raw bytes)
     */
    public IpcClient onRawBuffer(ClientHandler<ByteBuffer> handler) {
        codec.requireRaw("onRawBuffer");
        bufferHandlers.add(handler);
        return this;
    }

    /**
     * Sends one message to the server, or queues it until connected (at most 8 MiB queued).
     * @param data any value Jackson can write, a {@code JsonNode}, or {@code null}
     * @return completes when written; fails if the queue is full or the client is destroyed first
     * @throws IllegalArgumentException when {@code data} cannot be written as JSON
     */
    public CompletionStage<Void> emit(String type, Object data) {
        return codec.mapped(codec.encode(type, data, engine.sends()));
    }

    /**
     * Framed mode: sends message {@code typeOrText} with no payload (JavaScript {@code undefined}, sent as
     * {@code {}}). Raw mode: sends the string itself as bytes in the configured {@code encoding} (as
     * node-ipc's raw {@code emit(payload)} does).
     * @return as {@link #emit(String, Object)}
     */
    public CompletionStage<Void> emit(String typeOrText) {
        if (codec.raw()) {
            return codec.mapped(engine.send(codec.rawText(typeOrText)));
        }
        return emit(typeOrText, Codec.MISSING);
    }

    /** rawBuffer mode: sends exactly {@code bytes}. @return as {@link #emit(String, Object)} */
    public CompletionStage<Void> emit(byte[] bytes) {
        return codec.mapped(engine.send(codec.rawBytes(bytes)));
    }

    /**
     * rawBuffer mode: sends exactly the bytes between {@code bytes}' position and limit, or queues them until
     * connected. They are copied into a pooled buffer before this returns, and the buffer's position, limit
     * and mark are left as they were: the caller may change or reuse it (e.g. emit it again) as soon as the
     * call returns. Safe from any thread, but the buffer itself must not be changed by another thread
     * during the call.
     * @return as {@link #emit(String, Object)}
     * @throws IllegalStateException when rawBuffer mode is off
     */
    public CompletionStage<Void> emit(ByteBuffer bytes) {
        return codec.mapped(engine.send(codec.rawBytes(bytes)));
    }

    /**
     * Sends one message like {@link #emit(String, Object)}, but with no completion stage: the form of emit
     * that allocates nothing per call beyond encoding {@code data}, for producers that pace themselves on
     * {@link #isWritable()} or {@link #writableLength()}. A frame queued here is lost only if the connection
     * closes before writing it, which the {@code disconnect} and {@code error} events report.
     * @return true when the frame was queued (written or queued to the connection, or queued until connected);
     *         false when it was refused and dropped: the connection already holds {@code maxPendingBytes}
     *         (with the close policy it is then closed, as on an emit), the queue while not connected is
     *         full, or the client was stopped
     * @throws IllegalArgumentException when {@code data} cannot be written as JSON
     * @throws IllegalStateException when rawBuffer mode is on
     */
    public boolean offer(String type, Object data) {
        return codec.encode(type, data, engine.offers());
    }

    /** rawBuffer mode: sends exactly {@code bytes}, as {@link #emit(byte[])}. @return as {@link #offer(String, Object)} */
    public boolean offer(byte[] bytes) {
        return engine.offer(codec.rawBytes(bytes));
    }

    /**
     * rawBuffer mode: sends the bytes between {@code bytes}' position and limit, copied and left unchanged as
     * by {@link #emit(ByteBuffer)}. Once warm, a raw offer allocates nothing on the Java heap.
     * @return as {@link #offer(String, Object)}
     * @throws IllegalStateException when rawBuffer mode is off
     */
    public boolean offer(ByteBuffer bytes) {
        return engine.offer(codec.rawBytes(bytes));
    }

    /**
     * Runs {@code task} on this client's I/O thread, the thread its handlers run on, after the handlers and tasks
     * already queued there. Use it to produce on that thread: a burst of emits or offers made by one task goes
     * out once the task returns, in as few writes as its size allows, with no hand-over between threads per
     * frame (the way a Node.js process emits). Safe from any thread, before or after connecting. The task must
     * not block; one that throws is reported to the {@link #onError} handlers and the thread carries on.
     *
     * @param task what to run
     * @throws NullPointerException when {@code task} is null
     * @throws java.util.concurrent.RejectedExecutionException once the {@link Ipc} is closed
     */
    public void execute(Runnable task) {
        engine.execute(guarded(task));
    }

    /**
     * Runs {@code task} on this client's I/O thread once {@code delay} has passed, otherwise as
     * {@link #execute}: for instance to look again at {@link #writableLength()} a little later while a
     * producer on that thread waits out backpressure, without blocking the thread or spinning on it.
     *
     * @param task  what to run
     * @param delay how long to wait first (0 or less: as soon as possible)
     * @param unit  the unit of {@code delay}
     * @return cancels the task if it has not started ({@code cancel(false)})
     * @throws NullPointerException when {@code task} or {@code unit} is null
     * @throws java.util.concurrent.RejectedExecutionException once the {@link Ipc} is closed
     */
    public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
        java.util.Objects.requireNonNull(unit, "unit");
        return engine.schedule(guarded(task), delay, unit);
    }

    /** @return {@code task} reporting what it throws to the error handlers */
    private Runnable guarded(Runnable task) {
        return Callbacks.guarded(task, t -> handlerThrew(t, "execute task"));
    }

    CompletionStage<Void> abort() {
        return engine.abort();
    }

    /** Stops for good after flushing what was emitted; fires {@code disconnect} and {@code destroy}. @return completes when closed */
    CompletionStage<Void> disconnect() {
        return engine.disconnect();
    }

    private void fire(Iterable<Runnable> list, String what) {
        for (Runnable r : list) {
            try {
                r.run();
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                reportError(new IpcException(what + " handler threw: " + t, t));
            }
        }
    }

    private void reportError(Throwable error) {
        if (errorHandlers.isEmpty()) {
            log.debug("client " + id + " error: " + error);
            return;
        }
        for (Consumer<Throwable> h : errorHandlers) {
            try {
                h.accept(error);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                log.warn("error handler threw", t);
            }
        }
    }

    private <T> void call(ClientHandler<T> h, T data, String what) {
        try {
            h.handle(data);
        } catch (Throwable t) {
            handlerThrew(t, what);
        }
    }

    /** Reports what a {@code what} handler threw (fatal JVM errors are rethrown). */
    private void handlerThrew(Throwable t, String what) {
        Callbacks.rethrowIfFatal(t);
        reportError(t instanceof IpcException ? t : new IpcException(what + " handler threw: " + t, t));
    }

    /** Engine events → user handlers. */
    private final class Events implements ClientEvents {
        @Override
        public void connected() {
            fire(connectHandlers, "connect");
        }

        @Override
        public RecordRoute.Table recordRoutes() {
            return handlers;
        }

        @Override
        public void message(WireMessage m) {
            Object record = m.record();
            if (record != null) {
                // read straight into the record its route's handlers take: those handlers, and no any-handler
                TypedRoute<?> route = (TypedRoute<?>) m.route();
                for (int i = 0; i < route.size(); i++) {
                    try {
                        ((TypedHandlers.OnClient<?>) route.handler(i)).handleRecord(record);
                    } catch (Throwable t) {
                        handlerThrew(t, "\"" + m.type() + "\"");
                    }
                }
                return;
            }
            // no lambda or label per message: the label is built only when a handler throws
            for (AnyHandler h : anyHandlers) {
                try {
                    h.handle(m.type(), m.data());
                } catch (Throwable t) {
                    handlerThrew(t, "any-message");
                }
            }
            for (ClientHandler<JsonNode> h : handlers.get(m.type())) {
                try {
                    h.handle(m.data());
                } catch (Throwable t) {
                    handlerThrew(t, "\"" + m.type() + "\"");
                }
            }
        }

        /** The buffer is borrowed; an array is made only for {@code onData} handlers. */
        @Override
        public void raw(ByteBuf bytes) {
            if (!dataHandlers.isEmpty()) {
                byte[] array = ByteBufUtil.getBytes(bytes);
                for (ClientHandler<byte[]> h : dataHandlers) {
                    call(h, array, "data");
                }
            }
            if (!bufferHandlers.isEmpty()) {
                try (BorrowedView view = BorrowedView.of(bytes)) {
                    for (ClientHandler<ByteBuffer> h : bufferHandlers) {
                        call(h, view.view(), "rawBuffer");
                    }
                }
            }
        }

        @Override
        public void failure(DecodeFailure f) {
            reportError(Codec.toException(f));
        }

        @Override
        public void error(Throwable cause) {
            reportError(Codec.publicCause(cause));
        }

        @Override
        public void disconnected() {
            fire(disconnectHandlers, "disconnect");
        }

        @Override
        public void writabilityChanged(boolean writable) {
            for (Consumer<Boolean> h : writabilityHandlers) {
                call(h::accept, writable, "writability");
            }
        }

        @Override
        public void destroyed() {
            destroyed = true;
            fire(destroyHandlers, "destroy");
        }
    }
}
