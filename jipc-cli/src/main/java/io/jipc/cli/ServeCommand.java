package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.ParserProfile;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code jipc serve}: a server on a Unix socket, TCP, TLS or UDP that prints every received event as
 * one JSON line on stdout (raw mode: one {@code {"event":"data","socket":N,"hex":…}} line per data
 * event; with {@code --lifecycle} also the server's lifecycle events, see {@link Lifecycle}) and, with
 * {@code --echo}, sends it back to its sender (for UDP: to the sender's address). Prints
 * {@code listening on <path>} (Unix) or {@code listening on <protocol> <host>:<port>} (with the port
 * actually bound) to stderr once listening; runs until SIGINT/SIGTERM (a shutdown hook closes the
 * instance, which removes a socket file) or until the running thread is interrupted (in-process use).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve on a Unix socket (default), TCP (--tcp HOST:PORT), TLS (--tcp with --tls --key --cert) or "
            + "UDP (--udp4/--udp6 PORT on --host); print every received event to stdout as one JSON line "
            + "{\"type\":...,\"data\":...}.",
        "Raw mode (--raw or --profile raw): no framing, no JSON; every data event prints as "
            + "{\"event\":\"data\",\"socket\":N,\"hex\":\"ff000c41\"} (N: this run's number for the client, from 1).",
        "--lifecycle adds the server's lifecycle events as JSON lines, in the order the library fires them: "
            + "{\"event\":\"start\"}, {\"event\":\"connect\",\"socket\":N}, "
            + "{\"event\":\"socket.disconnected\",\"socket\":N,\"id\":...}, "
            + "{\"event\":\"error\",\"socket\":N,\"code\":\"ERR_IPC_FRAME_TOO_LARGE\",\"message\":...} "
            + "(\"code\" for refused frames, \"socket\" when known).",
        "Prints 'listening on <path>' or 'listening on <tcp|tls|udp4|udp6> <host>:<port>' to stderr when "
            + "ready, errors (e.g. refused frames, failed TLS handshakes) to stderr unless --lifecycle. "
            + "Runs until SIGINT/SIGTERM."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID",
        description = "Service id; the default path is <socketRoot>app.<ID>. Default: the host name.")
    String id;

    @Option(names = "--path", paramLabel = "PATH", description = "Socket file to listen on (overrides the default path).")
    String path;

    @Option(names = "--echo", description = "Send each event (raw mode: the bytes of each data event) back to its sender.")
    boolean echo;

    @Mixin
    ModeOptions mode;

    @Option(names = "--profile", paramLabel = "raw|fast|guarded|assured",
        description = "Parser profile (node-ipc 14's parser): raw (= --raw); fast (default: a bad frame is an error, "
            + "the connection stays); guarded (limits: 1 MiB frames, 256-character event names, reserved names "
            + "refused, 30 s per frame; a violation closes the connection); assured (guarded plus --allowed-events; "
            + "on the network mutual TLS: --tls --request-cert --ca; no UDP).")
    String parser;

    @Option(names = "--max-message-size", paramLabel = "BYTES",
        description = "Refuse inbound frames longer than BYTES (ERR_IPC_FRAME_TOO_LARGE; default: 64 MiB, "
            + "guarded/assured 1 MiB).")
    Integer maxMessageSize;

    @Option(names = "--allowed-events", paramLabel = "TYPE", split = ",",
        description = "Accept only these event types (ERR_IPC_EVENT_NOT_ALLOWED for others; required by --profile assured).")
    List<String> allowedEvents;

    @Option(names = "--allow-reserved",
        description = "guarded/assured: accept lifecycle names (connect, error, data, ...) as event types.")
    boolean allowReserved;

    @Option(names = "--close-on-protocol-error",
        description = "Close a connection after a refused frame (always so under guarded/assured).")
    boolean closeOnProtocolError;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "Close further connections at once while N clients are connected (default: 100).")
    Integer maxConnections;

    @Option(names = "--no-unlink",
        description = "Unix: do not remove a stale socket file before listening (listening then fails if one is there).")
    boolean noUnlink;

    @Option(names = "--readable-all", description = "Unix: make the socket file readable by everyone.")
    boolean readableAll;

    @Option(names = "--writable-all", description = "Unix: make the socket file writable by everyone (so others can connect).")
    boolean writableAll;

    @Option(names = "--secure-socket-root", negatable = true,
        description = "Unix: create the socket root (the folder of the default path) 0700 and refuse it when it is a "
            + "symlink or someone else's (default: on with --modern, off with --legacy).")
    Boolean secureSocketRoot;

    @Mixin
    TransportOptions transport;

    @Option(names = "--request-cert",
        description = "With --tls: require a valid client certificate, verified against --ca (else the JDK's "
            + "trust store): mutual TLS.")
    boolean requestCert;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ProfileOption profile;

    @Override
    public Integer call() {
        Lines lines = Lines.of(spec);
        Transport t;
        IpcConfig config;
        try {
            List<String> unixOnly = new ArrayList<>();
            unixOnly.add(path != null ? "--path" : null);
            unixOnly.add(id != null ? "--id" : null);
            unixOnly.add(noUnlink ? "--no-unlink" : null);
            unixOnly.add(readableAll ? "--readable-all" : null);
            unixOnly.add(writableAll ? "--writable-all" : null);
            unixOnly.add(secureSocketRoot == null ? null : secureSocketRoot ? "--secure-socket-root" : "--no-secure-socket-root");
            t = transport.forServe(requestCert, unixOnly.toArray(String[]::new));
            IpcConfig.Builder b = options(IpcConfig.builder(ProfileOption.of(profile)).id(id), t);
            try {
                config = t.configure(b).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ModeOptions.flagNames(e.getMessage()), e);
            }
        } catch (IllegalArgumentException e) {
            lines.err("jipc serve: " + e.getMessage());
            return 2;
        }
        String where = t.isUnix() ? (path != null ? path : config.localPath(config.id())) : t.describe(t.address());
        Ipc ipc = new Ipc(config);
        IpcServer server;
        try {
            server = create(ipc, t);
        } catch (IpcProtocolException e) {
            ipc.close();
            lines.err("jipc serve: --profile assured: " + Lifecycle.message(e));
            return 2;
        } catch (IllegalArgumentException e) {
            ipc.close();
            if (t.tls() == null) {
                lines.err("jipc serve: cannot listen on " + where + ": " + Lines.describe(e));
                return 1;
            }
            lines.err("jipc serve: " + Transport.flagNames(Lines.describe(e)));
            return 2;
        }
        Lifecycle lifecycle = new Lifecycle(lines, mode.lifecycle);
        try {
            if (config.rawBuffer()) {
                server.onData((bytes, socket) -> data(lines, lifecycle, bytes, socket));
            } else {
                server.onAny((type, data, socket) -> received(lines, type, data, socket));
            }
            server.onStart(() -> lifecycle.event("start"));
            server.onConnect(socket -> lifecycle.event("connect", socket));
            server.onSocketDisconnected(lifecycle::socketDisconnected);
            server.onError((error, socket) -> {
                if (lifecycle.on()) {
                    lifecycle.error(error, socket);
                } else {
                    lines.err("error" + (socket == null ? "" : " on " + who(socket)) + ": " + Lines.describe(error));
                }
            });
            server.start();
        } catch (RuntimeException e) {
            ipc.close();
            String why = Lines.describe(e);
            lines.err("jipc serve: " + (why.startsWith("cannot listen on") ? why : "cannot listen on " + where + ": " + why));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            ipc.close();
            stopped.countDown();
        }, "jipc-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        lines.err("listening on " + (t.isUnix() ? server.path() : t.describe(t.address().boundTo(server.localAddress()))));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            ipc.close();
        }
        return 0;
    }

    /**
     * {@code b} with the server flags set.
     * @throws IllegalArgumentException for an invalid value or combination, naming the flags
     */
    private IpcConfig.Builder options(IpcConfig.Builder b, Transport t) {
        ParserProfile p = null;
        if (parser != null) {
            try {
                p = ParserProfile.valueOf(parser.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--profile must be raw, fast, guarded or assured but was '" + parser + "'");
            }
            if (mode.raw && p != ParserProfile.RAW) {
                throw new IllegalArgumentException("--raw cannot be combined with --profile " + parser
                    + " (--profile raw is the same as --raw)");
            }
        }
        if (mode.raw || p == ParserProfile.RAW) {
            String rawFlag = mode.raw ? "--raw" : "--profile raw";
            String framed = maxMessageSize != null ? "--max-message-size" : allowedEvents != null ? "--allowed-events"
                : allowReserved ? "--allow-reserved" : closeOnProtocolError ? "--close-on-protocol-error"
                : mode.delimiter != null ? "--delimiter" : null;
            if (framed != null) {
                throw new IllegalArgumentException(framed + " is about framed messages: it cannot be combined with " + rawFlag);
            }
        }
        if (maxMessageSize != null && maxMessageSize < 2) {
            throw new IllegalArgumentException("--max-message-size must be 2 or more (bytes) but was " + maxMessageSize);
        }
        if (maxConnections != null && maxConnections < 1) {
            throw new IllegalArgumentException("--max-connections must be 1 or more but was " + maxConnections);
        }
        if (maxConnections != null && t.isUdp()) {
            throw new IllegalArgumentException("--max-connections limits stream connections: it cannot be combined with --"
                + t.protocol());
        }
        if (allowedEvents != null && (allowedEvents.isEmpty() || allowedEvents.contains(""))) {
            throw new IllegalArgumentException("--allowed-events expects event types separated by commas, e.g. "
                + "message,ping, but got '" + String.join(",", allowedEvents) + "'");
        }
        if (p == ParserProfile.ASSURED) {
            if (allowedEvents == null) {
                throw new IllegalArgumentException("--profile assured needs --allowed-events TYPE,... "
                    + "(the only event types that may be sent and received)");
            }
            if (t.isUdp()) {
                throw new IllegalArgumentException("--profile assured does not allow UDP (no peer authentication): "
                    + "it cannot be combined with --" + t.protocol());
            }
            if (!t.isUnix() && (t.tls() == null || !t.tls().requestCert() || t.tls().trustedConnections().isEmpty())) {
                throw new IllegalArgumentException("--profile assured on the network needs mutual TLS: "
                    + "--tls --key FILE --cert FILE --request-cert --ca FILE");
            }
        }
        mode.configure(b);
        if (p != null) {
            b.parser(p);
        }
        if (maxMessageSize != null) {
            b.maxMessageSize(maxMessageSize);
        }
        if (allowedEvents != null) {
            b.allowedEvents(allowedEvents.toArray(String[]::new));
        }
        if (closeOnProtocolError) {
            b.closeOnProtocolError(true);
        }
        if (maxConnections != null) {
            b.maxConnections(maxConnections);
        }
        if (secureSocketRoot != null) {
            b.secureSocketRoot(secureSocketRoot);
        }
        return b.allowReservedEvents(allowReserved).unlink(!noUnlink).readableAll(readableAll).writableAll(writableAll);
    }

    /** The server for {@code t}: bad TLS files fail here with an {@link IllegalArgumentException}. */
    private IpcServer create(Ipc ipc, Transport t) {
        if (t.isUnix()) {
            return path != null ? ipc.serve(path) : ipc.serve();
        }
        HostPort at = t.address();
        return t.isUdp() ? ipc.serveNet(at.host(), at.port(), t.type()) : ipc.serveNet(at.host(), at.port());
    }

    /** The socket, and for network peers their address. */
    private static String who(IpcSocket socket) {
        SocketAddress peer = socket.remoteAddress();
        return peer instanceof InetSocketAddress a && a.getAddress() != null
            ? socket + " (" + new HostPort(a.getAddress().getHostAddress(), a.getPort()) + ")" : socket.toString();
    }

    private void received(Lines lines, String type, JsonNode data, IpcSocket socket) {
        lines.out(EventJson.event(type, data));
        if (echo) {
            socket.emit(type, data).whenComplete((ok, failure) -> {
                if (failure != null) {
                    lines.err("error on " + who(socket) + ": echo of \"" + type + "\" failed: " + Lines.describe(failure));
                }
            });
        }
    }

    private void data(Lines lines, Lifecycle lifecycle, byte[] bytes, IpcSocket socket) {
        lifecycle.data(bytes, socket);
        if (echo) {
            socket.emit(bytes).whenComplete((ok, failure) -> {
                if (failure != null) {
                    lines.err("error on " + who(socket) + ": echo of " + bytes.length + " bytes failed: "
                        + Lines.describe(failure));
                }
            });
        }
    }
}
