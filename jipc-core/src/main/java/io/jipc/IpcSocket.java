package io.jipc;

import io.jipc.internal.dispatch.Callbacks;
import io.jipc.internal.connection.Connection;
import io.jipc.internal.connection.PeerCreds;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * One client connection as a server sees it (node-ipc's {@code socket}). Handed to server handlers;
 * use it to reply with {@link #emit}. Thread-safe: emit from any thread; frames emitted from one
 * thread are sent in that order.
 *
 * <p>Lifecycle: created when a client connects ({@code connect} event), usable until its
 * {@code socket.disconnected} event; emits after that fail.
 */
public final class IpcSocket {
    private final IpcServer server;
    private final Connection connection;
    private volatile PeerCredentials credentials;
    private volatile boolean credentialsRead;
    /** Refused by the server's authorize hook: no events are delivered for it. */
    volatile boolean refused;

    IpcSocket(IpcServer server, Connection connection) {
        this.server = server;
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /**
     * The id the client announced: node-ipc 9–12 servers take the {@code id} member of any received
     * object payload as the socket's id (clients conventionally send {@code {id: config.id, …}}).
     * @return that id, or {@code null} before any such payload
     */
    public String id() {
        return connection.peerId();
    }

    /**
     * The peer's credentials for a Unix-socket connection, read once from the kernel.
     * @return them, or {@code null} for TCP, UDP, or when the platform does not report them
     */
    public PeerCredentials peerCredentials() {
        PeerCredentials p = credentials;
        if (p == null && !credentialsRead) {
            PeerCreds c = PeerCreds.of(connection.channel());
            p = c == null ? null : new PeerCredentials(c.pid(), c.uid(), c.gid(), c.user(), c.group());
            credentials = p;
            credentialsRead = true;
        }
        return p;
    }

    /** @return whether the connection is open */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** @return whether the outbound buffer is below its high-water mark */
    public boolean isWritable() {
        return connection.isWritable();
    }

    /**
     * Bytes emitted to this socket that the kernel has not taken yet: the connection's outbox plus Netty's
     * outbound buffer, like Node's {@code socket.writableLength}. A snapshot, safe from any thread; use it to
     * pace a producer (wait while it is above a mark of your choice) well before {@code maxPendingBytes}
     * makes emits fail. Netty counts about 96 bytes of bookkeeping per queued buffer on top, and a buffer
     * being handed from the outbox to the channel may briefly count twice. For a UDP peer, the shared
     * channel's outbound buffer.
     */
    public long writableLength() {
        return connection.queuedBytes();
    }

    /** @return the peer address (for Unix sockets usually unnamed) */
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /** Same as {@code server.emit(this, type, data)}. @return completes when written */
    public CompletionStage<Void> emit(String type, Object data) {
        return server.emit(this, type, data);
    }

    /** Same as {@code server.emit(this, type)}: framed, no payload (sent as {@code {}}); raw, the string's bytes. @return completes when written */
    public CompletionStage<Void> emit(String type) {
        return server.emit(this, type);
    }

    /** rawBuffer mode: same as {@code server.emit(this, bytes)}. @return completes when written */
    public CompletionStage<Void> emit(byte[] bytes) {
        return server.emit(this, bytes);
    }

    /**
     * rawBuffer mode: same as {@link IpcServer#emit(IpcSocket, ByteBuffer) server.emit(this, bytes)}: the bytes
     * between position and limit are copied before this returns and {@code bytes} is left unchanged, free to
     * reuse. @return completes when written
     * @throws IllegalStateException when rawBuffer mode is off
     */
    public CompletionStage<Void> emit(ByteBuffer bytes) {
        return server.emit(this, bytes);
    }

    /**
     * Sends one message like {@link #emit(String, Object)}, with no completion stage, as
     * {@link IpcClient#offer(String, Object)}: nothing is allocated per call beyond encoding {@code data}.
     * @return true when queued; false when refused and dropped (socket closed, or {@code maxPendingBytes}
     *         already queued: backpressure, which with the close policy also closes the socket)
     * @throws IllegalArgumentException when {@code data} cannot be written as JSON
     */
    public boolean offer(String type, Object data) {
        return server.offer(this, server.codec().frame(type, data));
    }

    /** rawBuffer mode: sends exactly {@code bytes}, as {@link #emit(byte[])}. @return as {@link #offer(String, Object)} */
    public boolean offer(byte[] bytes) {
        return server.offer(this, server.codec().rawBytes(bytes));
    }

    /**
     * rawBuffer mode: sends the bytes between {@code bytes}' position and limit, copied and left unchanged as
     * by {@link #emit(ByteBuffer)}; once warm, nothing is allocated on the Java heap.
     * @return as {@link #offer(String, Object)}
     * @throws IllegalStateException when rawBuffer mode is off
     */
    public boolean offer(ByteBuffer bytes) {
        return server.offer(this, server.codec().rawBytes(bytes));
    }

    /**
     * Runs {@code task} on this socket's I/O thread, the thread the server's handlers for it run on, after what
     * is already queued there; as {@link IpcClient#execute}: a burst of emits made by one task goes out in as
     * few writes as its size allows. A task that throws is reported to the server's {@code onError} handlers
     * with this socket. Safe from any thread; the task must not block.
     *
     * @param task what to run
     * @throws NullPointerException when {@code task} is null
     * @throws java.util.concurrent.RejectedExecutionException once the server's {@link Ipc} is closed
     */
    public void execute(Runnable task) {
        connection.channel().eventLoop().execute(guarded(task));
    }

    /**
     * Runs {@code task} on this socket's I/O thread once {@code delay} has passed, otherwise as {@link #execute};
     * see {@link IpcClient#schedule}.
     *
     * @return cancels the task if it has not started ({@code cancel(false)})
     * @throws NullPointerException when {@code task} or {@code unit} is null
     * @throws java.util.concurrent.RejectedExecutionException once the server's {@link Ipc} is closed
     */
    public java.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
        java.util.Objects.requireNonNull(unit, "unit");
        return connection.channel().eventLoop().schedule(guarded(task), delay, unit);
    }

    /** @return {@code task} reporting what it throws to the server's error handlers with this socket */
    private Runnable guarded(Runnable task) {
        return Callbacks.guarded(task, t -> server.taskThrew(t, this));
    }

    /** Closes the connection after what was emitted so far is flushed. */
    public void close() {
        connection.closeAfterFlush();
    }

    @Override
    public String toString() {
        return "IpcSocket#" + connection.sequence() + (id() == null ? "" : "(" + id() + ")");
    }
}
