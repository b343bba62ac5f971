package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcProtocolException;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@code jipc connect} over a stream: a Unix socket, TCP or TLS. Retries until connected (a server
 * started just after us is found), except that a failed TLS handshake ends the run at once: certificate
 * problems do not go away by retrying.
 */
final class StreamConnect {
    private final Ipc ipc;
    private final Exchange x;
    private final Transport transport;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final AtomicBoolean wasConnected = new AtomicBoolean();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();

    StreamConnect(Ipc ipc, Exchange exchange, Transport transport) {
        this.ipc = ipc;
        this.x = exchange;
        this.transport = transport;
    }

    /**
     * Connects to {@code path} (Unix: the transport is {@link Transport#UNIX}) or to the transport's
     * address, sends, and waits for the events.
     * @return the exit code
     */
    int run(String id, String path) {
        IpcClient client;
        HostPort at = transport.address();
        try {
            client = transport.isUnix() ? ipc.connectTo(id != null ? id : path, path, this::setup)
                : ipc.connectToNet(id != null ? id : at.toString(), at.host(), at.port(), this::setup);
        } catch (IllegalArgumentException e) {
            x.lines.err("jipc connect: " + Transport.flagNames(Lines.describe(e)));
            return 2;
        }
        String target = transport.isUnix() ? client.path().toString() : transport.describe(at);
        if (!x.await(connected)) {
            Throwable last = lastError.get();
            x.lines.err("jipc connect: could not connect to " + target + " within " + x.seconds() + " s"
                + (last == null ? "" : " (" + reason(last) + ")"));
            return 1;
        }
        if (connected.isCompletedExceptionally()) {
            ipc.stopRetrying(true);
            x.lines.err("jipc connect: TLS handshake with " + target + " failed: " + handshakeReason());
            return 1;
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < x.payloads.size(); i++) {
            writes.add(client.emit(x.types.get(i), x.payloads.get(i)).toCompletableFuture());
        }
        int sent = x.sent(writes, target);
        return sent != 0 ? sent : x.finish(target);
    }

    private void setup(IpcClient client) {
        client.onAny(x::receive)
            .onConnect(() -> {
                lastError.set(null); // failures of earlier attempts say nothing about this connection
                wasConnected.set(true);
                connected.complete(null);
            })
            .onError(error -> {
                lastError.set(error);
                if (error instanceof IpcProtocolException) {
                    x.lines.err("error: " + Lines.describe(error));
                } else if (error instanceof SSLHandshakeException && !wasConnected.get()) {
                    connected.completeExceptionally(error);
                }
            })
            .onDisconnect(() -> {
                if (wasConnected.get()) {
                    ipc.stopRetrying(true);
                    Throwable last = lastError.get();
                    x.lost(last == null ? null : lostReason(last));
                }
            });
    }

    /** The handshake failure, without the library's "TLS handshake failed: " prefix, plus a hint. */
    private String handshakeReason() {
        String why = Lines.describe(connected.handle((ok, failure) -> failure).join())
            .replaceFirst("^TLS handshake failed: ", "");
        if (why.contains("PKIX") && transport.tls().trustedConnections().isEmpty()) {
            why += " (the JDK does not trust the server's certificate: give its CA with --ca FILE)";
        }
        return why;
    }

    /** Why an established connection closed; TLS 1.3 servers refuse a client certificate only now. */
    private String lostReason(Throwable last) {
        String why = Lines.describe(last);
        if (transport.tls() != null && transport.tls().privateKey() == null
            && (why.contains("bad_certificate") || why.contains("certificate_required"))) {
            why += "; the server wants a client certificate: give --key FILE and --cert FILE";
        }
        return why;
    }

    /** Why an attempt failed; the transport reports a missing socket file without a message. */
    private static String reason(Throwable error) {
        return error instanceof FileNotFoundException && error.getMessage() == null
            ? "no such socket file" : Lines.describe(error);
    }
}
