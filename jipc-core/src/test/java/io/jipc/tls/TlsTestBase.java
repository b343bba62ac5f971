package io.jipc.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import io.jipc.TlsOptions;
import io.jipc.testing.TestCerts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Shared set-up for the TLS tests: certificates minted once per class by openssl ({@link TestCerts}) into
 * a temp dir deleted afterwards, Ipc instances closed after each test, and clients that give up after
 * one attempt ({@code maxRetries(0)}, {@code retry(50)}) so a refused handshake ends in {@code destroy}.
 */
@Timeout(60)
abstract class TlsTestBase {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String HOST = "127.0.0.1";
    static Path certDir;
    static TestCerts certs;
    final List<Ipc> instances = new ArrayList<>();

    @BeforeAll
    static void mintCertificates() throws IOException {
        certDir = Files.createTempDirectory("jipc-tls-certs");
        certs = TestCerts.mint(certDir);
    }

    @AfterAll
    static void deleteCertificates() throws IOException {
        try (Stream<Path> walk = Files.walk(certDir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @AfterEach
    void closeAll() {
        instances.forEach(Ipc::close);
    }

    /** The TLS engine of a run: OpenSSL when it loads (the default); subclasses may pick the JDK's. */
    TlsOptions withEngine(TlsOptions tls) {
        return tls;
    }

    Ipc ipc(String id, TlsOptions tls) {
        Ipc ipc = new Ipc(IpcConfig.builder().id(id).silent(true).retry(50).maxRetries(0).tls(withEngine(tls)).build());
        instances.add(ipc);
        return ipc;
    }

    /** Server options: the CA-signed localhost/127.0.0.1 certificate with its PKCS#8 key. */
    static TlsOptions.Builder server() {
        return TlsOptions.builder().privateKey(certs.serverKey()).publicCert(certs.serverCert());
    }

    /** Server options demanding a client certificate signed by the CA (mutual TLS). */
    static TlsOptions.Builder mutualServer() {
        return server().requestCert(true).rejectUnauthorized(true).trustedConnections(certs.ca());
    }

    /** Client options trusting the CA and presenting the client certificate (EC key in SEC1 form). */
    static TlsOptions.Builder clientWithCert() {
        return TlsOptions.builder().trustedConnections(certs.ca()).privateKey(certs.clientKey())
            .publicCert(certs.clientCert());
    }

    /** A started TLS echo server on a free port of 127.0.0.1 that records its errors. */
    IpcServer echoServer(TlsOptions tls, Recorder serverEvents) {
        IpcServer s = ipc("srv", tls).serveNet(HOST, 0);
        s.on("ping", (data, socket) -> socket.emit("pong", data.asString() + "!"))
            .onConnect(socket -> serverEvents.add("server connect"))
            .onError((e, socket) -> serverEvents.add("server error " + e.getMessage()));
        return s.start();
    }

    static int port(IpcServer s) {
        return ((InetSocketAddress) s.localAddress()).getPort();
    }

    /** Connects a client recording "connect", "error …", "disconnect", "destroy" and "pong …". */
    IpcClient client(String id, TlsOptions tls, int port, Recorder events) {
        return ipc(id, tls).connectToNet("srv", HOST, port, c -> record(c, events));
    }

    static void record(IpcClient c, Recorder events) {
        c.onConnect(() -> events.add("connect"))
            .onError(e -> events.add("error " + e.getMessage()))
            .onDisconnect(() -> events.add("disconnect"))
            .onDestroy(() -> events.add("destroy"))
            .on("pong", data -> events.add("pong " + data.asString()));
    }

    /** Connects a client with {@code tls}, sends a ping and waits for the pong. */
    void assertRoundTrip(String id, TlsOptions tls, int port) {
        Recorder events = new Recorder();
        IpcClient c = client(id, tls, port, events);
        c.emit("ping", id);
        events.awaitLine("pong " + id + "!", WAIT);
        assertThat(events.lines()).startsWith("connect");
    }

    /**
     * Connects a client whose handshake must fail: it gives up ({@code destroy}) after an {@code error}
     * whose message contains {@code cause} (alternatives separated by {@code |}), and its ping is never answered. Says nothing about
     * {@code connect} (see {@link #assertRefused}).
     * @return the client's events up to {@code destroy}
     */
    List<String> refusedAttempt(String id, TlsOptions tls, int port, String cause) {
        Recorder events = new Recorder();
        client(id, tls, port, events).emit("ping", id);
        List<String> lines = events.awaitLine("destroy", WAIT);
        assertThat(lines).noneMatch(l -> l.startsWith("pong"));
        assertThat(lines).filteredOn(l -> l.startsWith("error ")).isNotEmpty()
            .anySatisfy(l -> assertThat(java.util.Arrays.stream(cause.split("\\|"))
                .anyMatch(c -> l.toLowerCase(java.util.Locale.ROOT).contains(c.toLowerCase(java.util.Locale.ROOT))))
                .as("%s mentions one of %s", l, cause).isTrue());
        return lines;
    }

    /** {@link #refusedAttempt}, and {@code connect} never fired. */
    List<String> assertRefused(String id, TlsOptions tls, int port, String cause) {
        List<String> lines = refusedAttempt(id, tls, port, cause);
        assertThat(lines).doesNotContain("connect");
        return lines;
    }
}
