package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@code jipc connect} over a stream: a Unix socket, TCP or TLS. Retries by the library's rules until
 * connected (a server started just after us is found) or until the client gives up
 * ({@code --max-retries}, {@code --stop-retrying}: the client is destroyed), except that a failed TLS
 * handshake ends the run at once: certificate problems do not go away by retrying. Once connected, a
 * drop ends the run, unless {@code reconnect} ({@code --retry}, {@code --max-retries} or
 * {@code --backoff} given): then the client reconnects by those rules and the run ends when it is
 * destroyed. With {@code --lifecycle}, the client is disconnected and its closing events printed
 * before {@link #run} returns.
 */
final class StreamConnect {
    /** How long to wait for the closing {@code destroy} event at the end of a {@code --lifecycle} run. */
    private static final long CLOSE_SECONDS = 5;

    private final Ipc ipc;
    private final Exchange x;
    private final Transport transport;
    private final Lifecycle lifecycle;
    private final boolean reconnect;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CountDownLatch destroyed = new CountDownLatch(1);
    private final AtomicBoolean wasConnected = new AtomicBoolean();
    private final AtomicReference<Throwable> lastError = new AtomicReference<>();

    /** {@link #connected} fails with this when the client is destroyed before it ever connected. */
    private static final class GaveUp extends Exception {
        private static final long serialVersionUID = 1L;

        GaveUp() {
            super("the client gave up", null, false, false);
        }
    }

    /**
     * @param reconnect whether a drop after connecting is retried (else it ends the run)
     */
    StreamConnect(Ipc ipc, Exchange exchange, Transport transport, Lifecycle lifecycle, boolean reconnect) {
        this.ipc = ipc;
        this.x = exchange;
        this.transport = transport;
        this.lifecycle = lifecycle;
        this.reconnect = reconnect;
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
        int code = exchange(client, transport.isUnix() ? client.path().toString() : transport.describe(at));
        if (lifecycle.on() && !client.isDestroyed()) {
            // the closing disconnect and destroy are part of the output: print them before returning
            ipc.disconnect(client.id());
            try {
                destroyed.await(CLOSE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return code;
    }

    private int exchange(IpcClient client, String target) {
        if (!x.await(connected)) {
            Throwable last = lastError.get();
            x.lines.err("jipc connect: could not connect to " + target + " within " + x.seconds() + " s"
                + (last == null ? "" : " (" + reason(last) + ")"));
            return 1;
        }
        if (connected.isCompletedExceptionally()) {
            Throwable failure = connected.handle((ok, f) -> f).join();
            if (failure instanceof GaveUp) {
                Throwable last = lastError.get();
                x.lines.err("jipc connect: could not connect to " + target + gaveUp()
                    + (last == null ? "" : ": " + reason(last)));
                return 1;
            }
            ipc.stopRetrying(true);
            x.lines.err("jipc connect: TLS handshake with " + target + " failed: " + handshakeReason());
            return 1;
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Exchange.Emit e : x.emits) {
            writes.add((e.isRaw() ? client.emit(e.bytes()) : client.emit(e.type(), e.data())).toCompletableFuture());
        }
        int sent = x.sent(writes, target);
        return sent != 0 ? sent : x.finish(target);
    }

    /** How many attempts the client made before it gave up, for messages. */
    private String gaveUp() {
        IpcConfig c = ipc.config();
        if (c.stopRetrying()) {
            return " in its one attempt (--stop-retrying)";
        }
        if (c.maxRetries() != IpcConfig.INFINITE_RETRIES) {
            int attempts = c.maxRetries() + 1;
            return " in " + attempts + (attempts == 1 ? " attempt" : " attempts") + " (--max-retries " + c.maxRetries() + ")";
        }
        return " (the client gave up)";
    }

    private void setup(IpcClient client) {
        if (ipc.config().rawBuffer()) {
            client.onData(bytes -> x.receiveLine(lifecycle.dataLine(bytes, null)));
        } else {
            client.onAny(x::receive);
        }
        client.onConnect(() -> {
                lifecycle.event("connect");
                lastError.set(null); // failures of earlier attempts say nothing about this connection
                if (!reconnect) {
                    ipc.stopRetrying(true); // read when this connection closes: a drop destroys the client
                }
                wasConnected.set(true);
                connected.complete(null);
            })
            .onError(error -> {
                lastError.set(error);
                if (lifecycle.on()) {
                    lifecycle.error(error, null);
                } else if (error instanceof IpcProtocolException) {
                    x.lines.err("error: " + Lines.describe(error));
                }
                if (error instanceof SSLHandshakeException && !wasConnected.get()) {
                    connected.completeExceptionally(error);
                }
            })
            .onDisconnect(() -> lifecycle.event("disconnect"))
            .onDestroy(() -> {
                lifecycle.event("destroy");
                if (wasConnected.get()) {
                    Throwable last = lastError.get();
                    x.lost(last == null ? null : lostReason(last));
                } else {
                    connected.completeExceptionally(new GaveUp());
                }
                destroyed.countDown();
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
        return Lifecycle.message(error);
    }
}
