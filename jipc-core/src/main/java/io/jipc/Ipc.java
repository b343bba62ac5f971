package io.jipc;

import io.jipc.internal.codec.Framing;
import io.jipc.internal.config.EngineSettings;
import io.jipc.internal.config.ProtocolPolicy;
import io.jipc.internal.config.RetryPolicy;
import io.jipc.internal.connection.ChannelHandlerFactory;
import io.jipc.internal.connection.ConnectionListener;
import io.jipc.internal.log.IpcLog;
import io.jipc.internal.server.ServerEngine;
import io.jipc.internal.server.ServerTransport;
import io.jipc.internal.udp.DatagramEngine;
import java.util.function.Function;
import io.jipc.internal.tls.ClientContextCache;
import io.jipc.internal.tls.TlsContexts;
import io.jipc.internal.tls.TlsSettings;
import io.jipc.internal.transport.StreamEndpoint;
import io.jipc.internal.transport.TcpEndpoint;
import io.jipc.internal.transport.UnixEndpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import io.jipc.internal.transport.EventLoops;
import io.jipc.internal.transport.NettyDefaults;
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
 * is no global state, but for one default of Netty's: unless the JVM was started with
 * {@code -Dio.netty.jfr.enabled}, loading this class sets it to {@code false}, which spares the first
 * message of a process the ~80 ms of loading JFR's metadata for Netty's allocator events.
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
    private static final AtomicBoolean DHPARAM_NOTICE = new AtomicBoolean();

    static {
        NettyDefaults.apply(); // before the first Netty class reads its properties
    }
    private final IpcConfig config;
    private final IpcLog log;
    private final EngineSettings settings;
    private final EventLoops loops;
    private final Codec codec;
    private final Map<String, IpcClient> clients = new ConcurrentHashMap<>();
    /** Client TLS contexts, reused across connections while the PEM files stay the same. */
    private final ClientContextCache clientContexts = new ClientContextCache();
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
            config.jsonMapper(), config.maxConnections(), config.unlink(), config.readableAll(), config.writableAll(),
            config.reusePort(), new RetryPolicy(config.retry().toMillis(), config.maxRetries(), config.backoff(),
                config.maxRetryDelay().toMillis()), config.sync(), config.maxPendingBytes(), policy(config),
            framing(config.frameCodec()), log);
        this.loops = new EventLoops(Transports.select(config.preferNativeTransport()), config.ioThreads(),
            config.busyPollMicros());
        this.codec = new Codec(settings, config.encoding());
    }

    private static Framing framing(FrameCodec codec) {
        if (codec == null) {
            return null;
        }
        return new Framing() {
            @Override
            public void writeFrame(io.netty.buffer.ByteBuf body, io.netty.buffer.ByteBuf out) {
                codec.writeFrame(body, out);
            }

            @Override
            public io.netty.buffer.ByteBuf readFrame(io.netty.buffer.ByteBuf in) {
                return codec.readFrame(in);
            }
        };
    }

    private static ProtocolPolicy policy(IpcConfig c) {
        boolean strict = c.parser() == ParserProfile.GUARDED || c.parser() == ParserProfile.ASSURED;
        return new ProtocolPolicy(c.closeOnProtocolError(), c.maxEventNameLength(), strict && !c.allowReservedEvents(),
            c.allowedEvents(), c.messageTimeout().toMillis(), strict);
    }

    /** ASSURED allows Unix sockets, and network streams only with mutual, verified TLS. */
    private void checkAssured(boolean network, boolean udp, boolean server) {
        if (config.parser() != ParserProfile.ASSURED) {
            return;
        }
        if (udp) {
            throw new IpcProtocolException(IpcProtocolException.Code.ERR_IPC_ASSURED_TRANSPORT,
                "parser ASSURED does not allow UDP endpoints (no peer authentication)", null);
        }
        TlsOptions t = config.tls();
        boolean mutual = t != null && t.rejectUnauthorized()
            && (t.serverContext() != null || t.clientContext() != null
                || ((t.privateKey() != null || t.keyManagers() != null)
                    && (!t.trustedConnections().isEmpty() || t.trustManagers() != null)
                    && (!server || t.requestCert())));
        if (network && !mutual) {
            throw new IpcProtocolException(IpcProtocolException.Code.ERR_IPC_ASSURED_TLS,
                "parser ASSURED needs mutual TLS on the network: tls with private+public, trustedConnections, "
                    + "rejectUnauthorized" + (server ? " and requestCert" : ""), null);
        }
    }

    /** @return the channel flavour in use: {@code "epoll"} (native) or {@code "nio"} (JDK) */
    public String transport() {
        return loops.flavor().name();
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
     * Creates the server on Unix socket {@code path}; call {@link IpcServer#start()} to listen.
     * @return the server
     * @throws IllegalArgumentException when the path is too long for a Unix socket
     * @throws IllegalStateException if this instance already has a server
     */
    public IpcServer serve(String path) {
        Path p = Path.of(path);
        Path root = Path.of(config.socketRoot());
        Path secure = config.secureSocketRoot() && p.toAbsolutePath().getParent() != null
            && p.toAbsolutePath().getParent().equals(root.toAbsolutePath()) ? root : null;
        return install(new UnixEndpoint(p, config.readableAll(), config.writableAll(), secure), localTls(true));
    }

    /** Creates a TCP (or TLS) server on {@code networkHost:networkPort}. @return the server */
    public IpcServer serveNet() {
        return serveNet(config.networkHost(), config.networkPort());
    }

    /** Creates a TCP (or TLS) server on {@code networkHost:port}. @return the server */
    public IpcServer serveNet(int port) {
        return serveNet(config.networkHost(), port);
    }

    /**
     * Creates a TCP server on {@code host:port}, speaking TLS when {@link IpcConfig#tls()} is set; call
     * {@link IpcServer#start()} to listen. Port 0 picks a free port ({@link IpcServer#localAddress()}).
     * IPv6 hosts like {@code ::1} work.
     * @return the server
     * @throws IllegalArgumentException for a bad port or unreadable TLS files
     * @throws IllegalStateException if this instance already has a server
     */
    public IpcServer serveNet(String host, int port) {
        checkAssured(true, false, true);
        TlsOptions tls = config.tls();
        return install(new TcpEndpoint(host, port, null, config.reusePort()), tls == null ? null : TlsContexts.server(tlsSettings(tls)));
    }

    /** Creates a UDP endpoint on {@code networkHost:port}. @return the server */
    public IpcServer serveNet(int port, NetType type) {
        return serveNet(config.networkHost(), port, type);
    }

    /**
     * Creates a network endpoint of the given type: {@link NetType#TCP} as {@link #serveNet(String, int)},
     * or a UDP endpoint ({@code udp4}/{@code udp6}): one frame (or, raw, the bytes) per datagram, no
     * header. Handlers receive the sender as an {@link IpcSocket} whose {@code remoteAddress()} is its
     * address and port; {@link IpcServer#emit(java.net.InetSocketAddress, String, Object)} sends to an
     * address; {@link IpcServer#broadcast} reaches every peer that sent to or was sent to by this endpoint
     * (a bounded table that forgets idle peers). A frame that does not fit one datagram is refused at
     * emit. node-ipc's "UDP client" is just another UDP endpoint; so is jipc's. udp4 with an IPv6 host
     * binds 127.0.0.1, as node-ipc does. {@code connect}/{@code socket.disconnected} do not fire for UDP.
     * @return the server (call {@link IpcServer#start()})
     */
    public IpcServer serveNet(String host, int port, NetType type) {
        if (type == NetType.TCP) {
            return serveNet(host, port);
        }
        if (config.frameCodec() != null) {
            throw new IllegalStateException("frameCodec applies to stream transports; a UDP endpoint carries one "
                + "delimited frame per datagram");
        }
        checkAssured(true, true, true);
        return install(l -> new DatagramEngine(loops, settings, host, port, type == NetType.UDP6, l));
    }

    private IpcServer install(StreamEndpoint endpoint, ChannelHandlerFactory tls) {
        return install(l -> new ServerEngine(loops, settings, endpoint, tls, l));
    }

    private synchronized IpcServer install(Function<ConnectionListener, ServerTransport> transport) {
        if (server != null) {
            throw new IllegalStateException("this Ipc instance already serves on " + server.endpoint());
        }
        server = new IpcServer(this, transport);
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
        return register(id, new UnixEndpoint(Path.of(path), config.readableAll(), config.writableAll(), null), localTls(false), setup);
    }

    /** Connects to service {@code id} over TCP/TLS at {@code networkHost:networkPort}. @return the client */
    public IpcClient connectToNet(String id) {
        return connectToNet(id, config.networkHost(), config.networkPort(), null);
    }

    /** Connects to service {@code id} over TCP/TLS at {@code networkHost:port}. @return the client */
    public IpcClient connectToNet(String id, int port) {
        return connectToNet(id, config.networkHost(), port, null);
    }

    /** Connects to service {@code id} over TCP/TLS at {@code host:port}. @return the client */
    public IpcClient connectToNet(String id, String host, int port) {
        return connectToNet(id, host, port, null);
    }

    /**
     * Connects to service {@code id} at {@code host:port} over TCP, or TLS when {@link IpcConfig#tls()}
     * is set (verifying the server's chain and host name unless {@code rejectUnauthorized} is false;
     * {@code connect} fires after the handshake). Binds {@link IpcConfig#interfaces()} first if set.
     * Same reconnect and reuse rules as {@link #connectTo(String, String, Consumer)}.
     * @return the client
     */
    public IpcClient connectToNet(String id, String host, int port, Consumer<IpcClient> setup) {
        checkAssured(true, false, false);
        TlsOptions tls = config.tls();
        ChannelHandlerFactory handler = tls == null ? null : clientTls(tls, host, port);
        return register(id, new TcpEndpoint(host, port, localBind(), false), handler, setup);
    }

    private IpcClient register(String id, StreamEndpoint endpoint, ChannelHandlerFactory tls,
                               Consumer<IpcClient> setup) {
        IpcClient[] created = new IpcClient[1];
        IpcClient client = clients.compute(id, (k, existing) -> {
            if (existing != null && !existing.isDestroyed()) {
                return existing;
            }
            created[0] = new IpcClient(this, id, endpoint, tls);
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

    private ChannelHandlerFactory localTls(boolean server) {
        TlsOptions tls = config.tls();
        if (tls == null || !tls.localSockets()) {
            return null;
        }
        return server ? TlsContexts.server(tlsSettings(tls)) : clientTls(tls, "localhost", 0);
    }

    /** TLS for one more client connection: the context is built once and reused while its PEM files stay the same. */
    private ChannelHandlerFactory clientTls(TlsOptions tls, String host, int port) {
        TlsSettings s = tlsSettings(tls);
        return TlsContexts.client(s, clientContexts.get(s), host, port);
    }

    private TlsSettings tlsSettings(TlsOptions t) {
        if (t.dhparam() != null && DHPARAM_NOTICE.compareAndSet(false, true)) {
            log.warn("tls.dhparam is not needed in Java (JSSE chooses DH groups itself); ignoring " + t.dhparam(), null);
        }
        return new TlsSettings(t.privateKey(), t.publicCert(), t.trustedConnections(), t.requestCert(),
            t.rejectUnauthorized(), t.keyManagers(), t.trustManagers(), t.serverContext(), t.clientContext(),
            t.preferOpenSsl());
    }

    private InetSocketAddress localBind() {
        ClientInterface i = config.interfaces();
        if (i == null || (i.localAddress() == null && i.localPort() == 0)) {
            return null;
        }
        String host = i.localAddress() != null ? i.localAddress() : (i.family() == 6 ? "::" : "0.0.0.0");
        return new InetSocketAddress(host, i.localPort());
    }

    /**
     * Disconnects and removes the client {@code id} at once, node-ipc style: frames emitted but not yet
     * written are dropped and their emits fail. Fires {@code disconnect} and {@code destroy}.
     * @return completes when closed (immediately if there is no such client)
     */
    public CompletableFuture<Void> abort(String id) {
        IpcClient c = clients.remove(id);
        return c == null ? CompletableFuture.completedFuture(null) : c.abort().toCompletableFuture();
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
