package io.jipc.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import io.jipc.TlsOptions;
import io.jipc.internal.tls.TlsContexts;
import io.jipc.internal.tls.TlsSettings;
import io.jipc.testing.TempSockets;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TLS configuration errors (reported when serving or connecting) and TLS over Unix sockets. */
@ExtendWith(TempSockets.Extension.class)
class TlsSetupTest extends TlsTestBase {

    @Test
    void serverWithoutKeyOrCertificateFailsAtServeNet() {
        Ipc ipc = ipc("srv", TlsOptions.builder().trustedConnections(certs.ca()).build());
        assertThatThrownBy(() -> ipc.serveNet(HOST, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("\"private\"").hasMessageContaining("\"public\"");
        Ipc keyOnly = ipc("srv2", TlsOptions.builder().privateKey(certs.serverKey()).build());
        assertThatThrownBy(() -> keyOnly.serveNet(HOST, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"public\"");
        assertThat(ipc.server()).isNull();
    }

    @Test
    void missingPemFilesAreNamedWhenServingOrConnecting() {
        String missing = certDir.resolve("no-such-file.pem").toString();
        Ipc badKey = ipc("k", server().privateKey(missing).build());
        assertThatThrownBy(() -> badKey.serveNet(HOST, 0))
            .isInstanceOfAny(IllegalArgumentException.class, UncheckedIOException.class)
            .hasMessageContaining(missing).hasMessageContaining("tls.private");
        Ipc badCert = ipc("c", server().publicCert(missing).build());
        assertThatThrownBy(() -> badCert.serveNet(HOST, 0))
            .isInstanceOfAny(IllegalArgumentException.class, UncheckedIOException.class)
            .hasMessageContaining(missing).hasMessageContaining("tls.public");
        Ipc badCa = ipc("a", TlsOptions.builder().trustedConnections(missing).build());
        assertThatThrownBy(() -> badCa.connectToNet("srv", HOST, 9))
            .isInstanceOfAny(IllegalArgumentException.class, UncheckedIOException.class)
            .hasMessageContaining(missing).hasMessageContaining("tls.trustedConnections");
        assertThat(badCa.of("srv")).isNull();
    }

    @Test
    void filesThatAreNotPemAreNamed() throws Exception {
        Path junk = certDir.resolve("junk.txt");
        Files.writeString(junk, "not a PEM file\n");
        Ipc badKey = ipc("k", server().privateKey(junk.toString()).build());
        assertThatThrownBy(() -> badKey.serveNet(HOST, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(junk.toString()).hasMessageContaining("private key");
        Ipc certAsKey = ipc("c", server().privateKey(certs.serverCert()).build());
        assertThatThrownBy(() -> certAsKey.serveNet(HOST, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(certs.serverCert());
        Ipc keyAsCert = ipc("p", server().publicCert(certs.serverKey()).build());
        assertThatThrownBy(() -> keyAsCert.serveNet(HOST, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BEGIN CERTIFICATE")
            .hasMessageContaining(certs.serverKey());
    }

    @Test
    void tlsOverUnixSocketsRoundTrip(TempSockets sockets) {
        String path = sockets.socket("tls.sock").toString();
        Recorder server = new Recorder();
        IpcServer s = ipc("srv", server().localSockets(true).build()).serve(path);
        s.on("ping", (data, socket) -> socket.emit("pong", data.asString() + "!"))
            .onConnect(socket -> server.add("server connect")).start();
        Recorder events = new Recorder();
        IpcClient c = ipc("cl", TlsOptions.builder().trustedConnections(certs.ca()).localSockets(true).build())
            .connectTo("srv", path, cl -> record(cl, events));
        c.emit("ping", "unix");
        events.awaitLine("pong unix!", WAIT);
        assertThat(events.lines()).containsExactly("connect", "pong unix!");
        assertThat(server.lines()).containsExactly("server connect");
    }

    /** The TLS Unix server checks the client like a TCP one: a client that trusts another CA is refused. */
    @Test
    void tlsOverUnixSocketsVerifiesTheServer(TempSockets sockets) {
        String path = sockets.socket("tls.sock").toString();
        ipc("srv", server().localSockets(true).build()).serve(path).start();
        Recorder events = new Recorder();
        ipc("cl", TlsOptions.builder().trustedConnections(certs.otherCa()).localSockets(true).build())
            .connectTo("srv", path, cl -> record(cl, events)).emit("ping", "x");
        assertThat(events.awaitLine("destroy", WAIT)).doesNotContain("connect")
            .anySatisfy(l -> assertThat(l).contains("unable to find valid certification path"));
    }

    @Test
    void plainClientNeverGetsAMessageThroughToATlsUnixServer(TempSockets sockets) {
        String path = sockets.socket("tls.sock").toString();
        Recorder server = new Recorder();
        ipc("srv", server().localSockets(true).build()).serve(path)
            .onAny((type, data, socket) -> server.add("message " + type))
            .onConnect(socket -> server.add("server connect"))
            .onError((e, socket) -> server.add("server error " + e.getMessage()))
            .start();
        Recorder events = new Recorder();
        IpcClient plain = ipc("plain", null).connectTo("srv", path, cl -> record(cl, events));
        plain.emit("ping", "in clear");
        plain.emit("hello", java.util.Map.of("id", "plain"));
        server.await(l -> l.stream().anyMatch(x -> x.startsWith("server error")), WAIT, "server error");
        events.awaitLine("destroy", WAIT);
        assertThat(server.lines()).singleElement().asString()
            .startsWith("server error TLS handshake failed").containsIgnoringCase("SSL/TLS record");
        assertThat(events.lines()).noneMatch(l -> l.startsWith("pong"));
    }

    /** OpenSSL (the bundled netty-tcnative BoringSSL) is used when it loads; preferOpenSsl(false) picks the JDK. */
    @Test
    void engineIsOpenSslWhenItLoadsUnlessTheJdkIsAsked() {
        TlsSettings preferred = settings(true);
        TlsSettings jdk = settings(false);
        assertThat(TlsContexts.provider(jdk)).isEqualTo(SslProvider.JDK);
        assertThat(TlsContexts.provider(preferred)).isEqualTo(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
        if (System.getProperty("os.arch").matches("amd64|x86_64|aarch64") && System.getProperty("os.name").startsWith("Linux")) {
            assertThat(OpenSsl.isAvailable()).as("bundled BoringSSL loads: %s", OpenSsl.unavailabilityCause()).isTrue();
        }
        assertThat(TlsOptions.builder().build().preferOpenSsl()).isTrue();
        assertThat(TlsOptions.builder().preferOpenSsl(false).build().newBuilder().build().preferOpenSsl()).isFalse();
    }

    private static TlsSettings settings(boolean preferOpenSsl) {
        return new TlsSettings(null, null, java.util.List.of(), false, true, null, null, null, null, preferOpenSsl);
    }
}
