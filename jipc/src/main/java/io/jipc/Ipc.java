package io.jipc;

import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.log.IpcLog;
import io.jipc.internal.transport.EventLoops;
import io.jipc.internal.transport.Transports;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One node-ipc instance ({@code new IPC()} / {@code new IPCModule()}): a configuration, at most one
 * server, and clients by id. Several instances may live in one JVM with different configurations; there
 * is no global state.
 *
 * <pre>{@code
 * try (Ipc ipc = new Ipc(IpcConfig.builder().id("world").build())) {
 *     ipc.serve().on("message", (data, socket) -> socket.emit("message", data)).start();
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Threading.</b> All methods are thread-safe. Each instance owns a few I/O threads (non-daemon,
 * like a Node process that has a server open) which {@link #close()} shuts down.
 *
 * <p><b>Paths.</b> Without an explicit path, servers listen on and clients connect to
 * {@code socketRoot + appspace + id} ({@link IpcConfig#localPath}).
 */
public final class Ipc implements AutoCloseable {
    private final IpcConfig config;
    private final IpcLog log;
    private final EngineSettings settings;
    private final EventLoops loops;
    private final Codec codec;
    private final Map<String, IpcClient> clients = new ConcurrentHashMap<>();
    private volatile boolean stopRetrying;
    private IpcServer server;

    /** An instance with node-ipc 14's defaults. */
    public Ipc() {
        this(IpcConfig.defaults());
    }

    /** @param config validated configuration */
    public Ipc(IpcConfig config) {
        this.config = config;
        this.log = new IpcLog(config.silent(), config.logger());
        this.stopRetrying = config.stopRetrying();
        this.settings = new EngineSettings(EngineSettings.delimiterBytes(config.delimiter()),
            config.maxFrameLength(), config.rawBuffer(), config.payloadProfile() == PayloadProfile.LEGACY,
            config.jsonMapper(), config.maxConnections(), config.unlink(), config.retry().toMillis(),
            config.maxRetries(), 8L << 20, log);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.loops = new EventLoops(config.preferNativeTransport() ? Transports.unix() : Transports.nio(), threads);
        this.codec = new Codec(settings);
    }

    /** @return the Unix-socket transport in use: {@code "epoll"} (native) or {@code "nio"} (JDK) */
    public String transport() {
        return loops.transport().name();
    }

    /** @return this instance's configuration */
    public IpcConfig config() {
        return config;
    }

    /**
     * Creates the server on the default path {@code socketRoot + appspace + id}; call
     * {@link IpcServer#start()} to listen. Replaces no running server.
     * @return the server
     * @throws IllegalStateException if this instance already has a server
     */
    public IpcServer serve() {
        return serve(config.localPath(config.id()));
    }

    /**
     * Creates the server on {@code path}; call {@link IpcServer#start()} to listen.
     * @return the server
     * @throws IllegalArgumentException when the path is too long for a Unix socket
     * @throws IllegalStateException if this instance already has a server
     */
    public synchronized IpcServer serve(String path) {
        if (server != null) {
            throw new IllegalStateException("this Ipc instance already serves on " + server.path());
        }
        server = new IpcServer(this, Path.of(path));
        return server;
    }

    /** @return the server created by {@link #serve}, or {@code null} */
    public synchronized IpcServer server() {
        return server;
    }

    /** Connects to service {@code id} on {@code socketRoot + appspace + id}. @return the client */
    public IpcClient connectTo(String id) {
        return connectTo(id, config.localPath(id), null);
    }

    /**
     * Connects to service {@code id} on the default path, first running {@code setup} (register
     * handlers there, so that no event of the first attempt can be missed). @return the client
     */
    public IpcClient connectTo(String id, Consumer<IpcClient> setup) {
        return connectTo(id, config.localPath(id), setup);
    }

    /** Connects to service {@code id} on {@code path}. @return the client */
    public IpcClient connectTo(String id, String path) {
        return connectTo(id, path, null);
    }

    /**
     * Connects to service {@code id} on {@code path}: creates the client, runs {@code setup} on it (may
     * be {@code null}), then starts the first attempt. If a client with that id exists and is not
     * destroyed, returns it unchanged and does not run {@code setup} (node-ipc likewise keeps it).
     * @return the client, also available as {@link #of(String)}
     * @throws IllegalArgumentException when the path is too long for a Unix socket
     */
    public IpcClient connectTo(String id, String path, Consumer<IpcClient> setup) {
        IpcClient[] created = new IpcClient[1];
        IpcClient client = clients.compute(id, (k, existing) -> {
            if (existing != null && !existing.isDestroyed()) {
                return existing;
            }
            created[0] = new IpcClient(this, id, Path.of(path));
            return created[0];
        });
        if (created[0] != null) {
            if (setup != null) {
                setup.accept(created[0]);
            }
            created[0].connect();
        }
        return client;
    }

    /** @return the client for {@code id}, or {@code null} */
    public IpcClient of(String id) {
        return clients.get(id);
    }

    /** @return all clients by id (a read-only live view) */
    public Map<String, IpcClient> of() {
        return Collections.unmodifiableMap(clients);
    }

    /**
     * Disconnects and removes the client {@code id}: no more reconnects; what was already emitted is
     * flushed before the socket closes (node-ipc drops it). Fires {@code disconnect} and {@code destroy}.
     * @return completes when closed (immediately if there is no such client)
     */
    public CompletableFuture<Void> disconnect(String id) {
        IpcClient c = clients.remove(id);
        return c == null ? CompletableFuture.completedFuture(null) : c.disconnect().toCompletableFuture();
    }

    /** @return the live {@code stopRetrying} flag */
    public boolean stopRetrying() {
        return stopRetrying;
    }

    /** Sets {@code stopRetrying} live: clients read it at each close and before each retry. */
    public void stopRetrying(boolean value) {
        stopRetrying = value;
    }

    /** Disconnects every client (flushing), stops the server, and shuts the I/O threads down. Idempotent. */
    @Override
    public void close() {
        for (String id : clients.keySet()) {
            try {
                disconnect(id).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("client " + id + " did not close cleanly", e);
            }
        }
        IpcServer s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.stop();
        }
        loops.close();
    }

    IpcLog log() {
        return log;
    }

    EngineSettings settings() {
        return settings;
    }

    EventLoops loops() {
        return loops;
    }

    Codec codec() {
        return codec;
    }
}
