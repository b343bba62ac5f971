package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
 * one JSON line on stdout and, with {@code --echo}, sends it back to its sender (for UDP: to the
 * sender's address). Prints {@code listening on <path>} (Unix) or {@code listening on <protocol>
 * <host>:<port>} (with the port actually bound) to stderr once listening; runs until SIGINT/SIGTERM
 * (a shutdown hook closes the instance, which removes a socket file) or until the running thread is
 * interrupted (in-process use).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Serve on a Unix socket (default), TCP (--tcp HOST:PORT), TLS (--tcp with --tls --key --cert) or "
            + "UDP (--udp4/--udp6 PORT on --host); print every received event to stdout as one JSON line "
            + "{\"type\":...,\"data\":...}.",
        "Prints 'listening on <path>' or 'listening on <tcp|tls|udp4|udp6> <host>:<port>' to stderr when "
            + "ready, errors (e.g. refused frames, failed TLS handshakes) to stderr. Runs until SIGINT/SIGTERM."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID",
        description = "Service id; the default path is <socketRoot>app.<ID>. Default: the host name.")
    String id;

    @Option(names = "--path", paramLabel = "PATH", description = "Socket file to listen on (overrides the default path).")
    String path;

    @Option(names = "--echo", description = "Send each event back to its sender with the same type and data.")
    boolean echo;

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
            t = transport.forServe(requestCert, path != null ? "--path" : null, id != null ? "--id" : null);
            config = t.configure(IpcConfig.builder(ProfileOption.of(profile)).id(id)).build();
        } catch (IllegalArgumentException e) {
            lines.err("jipc serve: " + e.getMessage());
            return 2;
        }
        String where = t.isUnix() ? (path != null ? path : config.localPath(config.id())) : t.describe(t.address());
        Ipc ipc = new Ipc(config);
        IpcServer server;
        try {
            server = create(ipc, t);
        } catch (IllegalArgumentException e) {
            ipc.close();
            if (t.tls() == null) {
                lines.err("jipc serve: cannot listen on " + where + ": " + Lines.describe(e));
                return 1;
            }
            lines.err("jipc serve: " + Transport.flagNames(Lines.describe(e)));
            return 2;
        }
        try {
            server.onAny((type, data, socket) -> received(lines, type, data, socket));
            server.onError((error, socket) -> lines.err("error" + (socket == null ? "" : " on " + who(socket))
                + ": " + Lines.describe(error)));
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
}
