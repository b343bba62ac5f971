package io.jipc.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.IpcServer;
import io.jipc.Recorder;
import io.jipc.TlsOptions;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * TLS over TCP on 127.0.0.1 (research §2): mutual TLS, key formats, connect-after-handshake, and every
 * way a handshake can be refused, each followed by proof that the server still serves good clients.
 */
class TlsTcpTest extends TlsTestBase {
    /** The alert a refused client certificate draws: JDK 17 sends bad_certificate, newer JDKs certificate_required. */
    static final String CLIENT_CERT_REFUSED = "bad_certificate|certificate_required";


    @Test
    void mutualTlsRoundTripWithAnEcClientKeyInSec1Form() {
        Recorder server = new Recorder();
        IpcServer s = echoServer(mutualServer().build(), server);
        assertRoundTrip("alice", clientWithCert().build(), port(s));
        assertThat(server.lines()).containsExactly("server connect");
    }

    @Test
    void serverKeyInPkcs1FormWorks() {
        IpcServer s = echoServer(TlsOptions.builder().privateKey(certs.serverKeyPkcs1())
            .publicCert(certs.serverCert()).build(), new Recorder());
        assertRoundTrip("bob", TlsOptions.builder().trustedConnections(certs.ca()).build(), port(s));
    }

    /**
     * A listener that accepts and reads the ClientHello but never answers, then hangs up: a TLS client
     * must not report {@code connect} (the TCP connection alone is not a connection), while a plain TCP
     * client to the same kind of listener does (the control). No timing involved: the listener only hangs
     * up after it has seen the client's first bytes.
     */
    @Test
    void connectFiresOnlyAfterTheHandshake() throws Exception {
        Recorder tls = new Recorder();
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            CompletableFuture<Integer> firstByte = acceptReadAndHangUp(silent);
            client("tls", TlsOptions.builder().trustedConnections(certs.ca()).build(), silent.getLocalPort(), tls);
            assertThat(firstByte.get(15, TimeUnit.SECONDS)).as("TLS record type: handshake").isEqualTo(0x16);
            assertThat(tls.awaitLine("destroy", WAIT)).doesNotContain("connect");
        }
        Recorder plain = new Recorder();
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            CompletableFuture<Integer> firstByte = acceptReadAndHangUp(silent);
            client("plain", null, silent.getLocalPort(), plain).emit("ping", "x");
            assertThat(firstByte.get(15, TimeUnit.SECONDS)).as("plain JSON frame").isEqualTo((int) '{');
            assertThat(plain.awaitLine("destroy", WAIT)).startsWith("connect");
        }
    }

    private static CompletableFuture<Integer> acceptReadAndHangUp(ServerSocket listener) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                s.setSoTimeout(15_000);
                return in.read();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void handshakeCutShortByThePeerReportsTheErrorBeforeDisconnect() throws Exception {
        Recorder tls = new Recorder();
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            CompletableFuture<Integer> firstByte = acceptReadAndHangUp(silent);
            client("tls", TlsOptions.builder().trustedConnections(certs.ca()).build(), silent.getLocalPort(), tls);
            firstByte.get(15, TimeUnit.SECONDS);
            List<String> lines = tls.awaitLine("destroy", WAIT);
            assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
            assertThat(lines.get(0)).startsWith("error ");
            assertThat(lines.subList(lines.size() - 2, lines.size())).containsExactly("disconnect", "destroy");
        }
    }

    @Test
    void unknownCaIsRefusedAndTheServerCarriesOn() {
        IpcServer s = echoServer(server().build(), new Recorder());
        assertRefused("stranger", TlsOptions.builder().trustedConnections(certs.otherCa()).build(), port(s),
            "unable to find valid certification path");
        assertRoundTrip("good", TlsOptions.builder().trustedConnections(certs.ca()).build(), port(s));
    }

    @Test
    void expiredServerCertificateIsRefused() {
        IpcServer s = echoServer(TlsOptions.builder().privateKey(certs.serverKey())
            .publicCert(certs.expiredServerCert()).build(), new Recorder());
        assertRefused("careful", TlsOptions.builder().trustedConnections(certs.ca()).build(), port(s),
            "validity check failed");
        assertRoundTrip("insecure", TlsOptions.builder().rejectUnauthorized(false).build(), port(s));
    }

    @Test
    void wrongHostNameIsRefused() {
        IpcServer s = echoServer(TlsOptions.builder().privateKey(certs.serverKey())
            .publicCert(certs.wrongHostServerCert()).build(), new Recorder());
        assertRefused("careful", TlsOptions.builder().trustedConnections(certs.ca()).build(), port(s),
            "No subject alternative names matching IP address 127.0.0.1");
        assertRoundTrip("insecure", TlsOptions.builder().rejectUnauthorized(false).build(), port(s));
    }

    /**
     * Under TLS 1.3 the client finishes its handshake before the server has checked the client certificate,
     * so the refused client may see {@code connect} first (see {@link #refusedClientCertificateNeverConnects}).
     * Asserted here: the client gets an error naming the cause and gives up, the server reports an error and
     * never a {@code connect}, nothing the client sent is handled, and a good client is served afterwards.
     */
    @Test
    void missingClientCertificateUnderMutualTlsIsRefusedOnBothSides() {
        Recorder server = new Recorder();
        IpcServer s = echoServer(mutualServer().build(), server);
        refusedAttempt("anonymous", TlsOptions.builder().trustedConnections(certs.ca()).build(), port(s),
            CLIENT_CERT_REFUSED);
        server.await(l -> l.stream().anyMatch(x -> x.startsWith("server error")), WAIT, "server error");
        assertRoundTrip("good", clientWithCert().build(), port(s));
        assertThat(server.lines()).containsExactly(server.lines().get(0), "server connect");
        assertThat(server.lines().get(0)).contains("TLS handshake failed").containsIgnoringCase("certificate");
    }

    /**
     * A client certificate from another CA. JSSE's default key manager withholds it (the server's request
     * names only its CA), so the server sees an empty chain; a client that sends it anyway (as OpenSSL and
     * Node do) is refused by the server's own chain check.
     */
    @Test
    void clientCertificateFromAnotherCaIsRefused() {
        Recorder server = new Recorder();
        IpcServer s = echoServer(mutualServer().build(), server);
        refusedAttempt("withheld", TlsOptions.builder().trustedConnections(certs.ca())
            .privateKey(certs.otherServerKey()).publicCert(certs.otherServerCert()).build(), port(s), CLIENT_CERT_REFUSED);
        server.await(l -> l.size() == 1, WAIT, "server error");
        // JSSE: "Empty client certificate chain"; OpenSSL: PEER_DID_NOT_RETURN_A_CERTIFICATE (node's code too)
        assertThat(server.lines().get(0)).contains("TLS handshake failed")
            .containsPattern("(?i)client certificate|PEER_DID_NOT_RETURN_A_CERTIFICATE");
        refusedAttempt("forger", TlsOptions.builder().trustedConnections(certs.ca()).keyManagers(
            AlwaysPresentKeyManager.factory(certs.otherServerKey(), certs.otherServerCert())).build(), port(s),
            "certificate_unknown|internal_error"); // a JSSE server alerts certificate_unknown, an OpenSSL one internal_error
        server.await(l -> l.size() == 2, WAIT, "second server error");
        assertThat(server.lines().get(1)).contains("TLS handshake failed").contains("certification path");
        assertRoundTrip("good", clientWithCert().build(), port(s));
        assertThat(server.lines()).hasSize(3).endsWith("server connect");
    }

    @Disabled("KNOWN LIMITATION, same as node-ipc 14 (see README, TLS): a client whose certificate the server refuses (missing, or from another "
        + "CA) fires connect, then error 'Received fatal alert: bad_certificate', disconnect, destroy: under TLS 1.3 "
        + "the client's handshake completes before the server verifies its certificate, and jipc announces connect "
        + "on the client's SslHandshakeCompletionEvent. Expected (brief, and TLS 1.2 behaviour below): connect never "
        + "fires for a refused client. Node behaves like jipc here; a fix needs a design decision")
    @Test
    void refusedClientCertificateNeverConnects() {
        IpcServer s = echoServer(mutualServer().build(), new Recorder());
        assertRefused("anonymous", TlsOptions.builder().trustedConnections(certs.ca()).build(), port(s), "certificate");
        assertRefused("forger", TlsOptions.builder().trustedConnections(certs.ca()).privateKey(certs.otherServerKey())
            .publicCert(certs.otherServerCert()).build(), port(s), "certificate");
    }

    /** With TLS 1.2 the server's verdict is part of the handshake, so a refused client never connects. */
    @Test
    void underTls12ARefusedClientCertificateNeverConnects() throws Exception {
        IpcServer s = echoServer(mutualServer().build(), new Recorder());
        var tls12 = SslContextBuilder.forClient().protocols("TLSv1.2").trustManager(new File(certs.ca())).build();
        // TLS 1.2 has no certificate_required alert: JDK 17 sends bad_certificate, JDK 25 handshake_failure
        assertRefused("anonymous", TlsOptions.builder().clientContext(tls12).build(), port(s),
            CLIENT_CERT_REFUSED + "|handshake_failure");
        assertRoundTrip("good", clientWithCert().build(), port(s));
    }

    @Test
    void rejectUnauthorizedFalseConnectsToAnUnknownCa() {
        IpcServer s = echoServer(TlsOptions.builder().privateKey(certs.otherServerKey())
            .publicCert(certs.otherServerCert()).build(), new Recorder());
        assertRoundTrip("insecure", TlsOptions.builder().trustedConnections(certs.ca()).rejectUnauthorized(false)
            .build(), port(s));
    }
}
