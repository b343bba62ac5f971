package io.jipc.interop;

import static io.jipc.interop.InteropCases.T;
import static io.jipc.interop.NetworkSupport.jipc;
import static io.jipc.interop.NetworkSupport.port;
import static io.jipc.interop.NetworkSupport.start;
import static io.jipc.interop.NetworkSupport.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import io.jipc.PayloadProfile;
import io.jipc.TlsOptions;
import io.jipc.interop.InteropCases.Case;
import io.jipc.interop.InteropCases.Inbox;
import io.jipc.testing.NodePeer;
import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import io.jipc.testing.TestCerts;
import tools.jackson.databind.JsonNode;

/**
 * jipc ↔ real node-ipc (9.2.1, @achrinza 10.1.11, 14.0.0) over TLS on loopback, both directions, with
 * {@link TestCerts} (a test CA; server certificate for localhost/127.0.0.1/::1; EC client certificate).
 *
 * <ul>
 *   <li>server authentication: the node client verifies jipc's certificate ({@code rejectUnauthorized:
 *       true}, {@code trustedConnections}: the CA) connecting to {@code localhost}; jipc verifies node's
 *       connecting to {@code 127.0.0.1} (IP SAN);</li>
 *   <li>mutual TLS: the server has {@code requestCert} + {@code rejectUnauthorized} + the CA, the client
 *       presents the client certificate;</li>
 *   <li>the negative cases prove the verification is real: an unknown CA, or a missing client
 *       certificate, ends the connection before any message is delivered.</li>
 * </ul>
 * node-ipc 9–12 map {@code private}/{@code public}/{@code trustedConnections} to key/cert/ca themselves
 * (trustedConnections <em>replaces</em> {@code ca}; 14 appends), research §2 "TLS"; peer.js only passes
 * the file names. 9–12 clients publish {@code connect} at TCP connect, before the handshake (§1.9); peer.js
 * reports the handshake itself as a {@code secure} event.
 */
@Timeout(60)
class NetworkTlsTest {
    private static final String HOST = "127.0.0.1";
    private static Path dir;
    private static TestCerts certs;

    @BeforeAll
    static void mint() throws IOException {
        dir = Files.createTempDirectory("jipc-net-tls");
        certs = TestCerts.mint(dir);
    }

    @AfterAll
    static void deleteCerts() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // TLS options

    private static TlsOptions.Builder jipcServerTls() {
        return TlsOptions.builder().privateKey(certs.serverKey()).publicCert(certs.serverCert());
    }

    private static TlsOptions jipcMutualServerTls() {
        return jipcServerTls().trustedConnections(certs.ca()).requestCert(true).rejectUnauthorized(true).build();
    }

    private static TlsOptions.Builder jipcClientTls() {
        return TlsOptions.builder().trustedConnections(certs.ca());
    }

    private static TlsOptions jipcMutualClientTls() {
        return jipcClientTls().privateKey(certs.clientKey()).publicCert(certs.clientCert()).build();
    }

    private static String[] nodeServerTls(boolean mutual, String... extra) {
        List<String> l = new ArrayList<>(List.of("--key=" + certs.serverKey(), "--cert=" + certs.serverCert()));
        if (mutual) {
            l.addAll(List.of("--ca=" + certs.ca(), "--request-cert=true", "--reject-unauthorized=true"));
        }
        l.addAll(List.of(extra));
        return l.toArray(String[]::new);
    }

    private static String[] nodeClientTls(String ca, boolean withClientCert, String... extra) {
        List<String> l = new ArrayList<>(List.of("--ca=" + ca, "--reject-unauthorized=true"));
        if (withClientCert) {
            l.addAll(List.of("--key=" + certs.clientKey(), "--cert=" + certs.clientCert()));
        }
        l.addAll(List.of(extra));
        return l.toArray(String[]::new);
    }

    // ------------------------------------------------------------------------------------------
    // jipc server, node client

    /** A jipc TLS server that records "message" payloads and echoes them, plus connects and errors. */
    private static final class JipcServer implements AutoCloseable {
        final Ipc ipc;
        final IpcServer server;
        final Inbox<JsonNode> got = new Inbox<>();
        final Inbox<IpcSocket> connected = new Inbox<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final Inbox<String> errorsSeen = new Inbox<>();

        JipcServer(Lib lib, TlsOptions tls) {
            ipc = jipc("srv", InteropCases.profileOf(lib), tls);
            server = ipc.serveNet(HOST, 0).onConnect(connected).onError((e, s) -> {
                errors.add(e);
                errorsSeen.accept(String.valueOf(e));
            }).on("message", (d, s) -> {
                got.accept(d);
                s.emit("message", d);
            });
            start(ipc, server);
        }

        @Override
        public void close() {
            ipc.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void serverAuthJipcServerNodeClient(Lib lib) throws Exception {
        roundTripJipcServer(lib, jipcServerTls().build(), false);
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void mutualJipcServerNodeClient(Lib lib) throws Exception {
        roundTripJipcServer(lib, jipcMutualServerTls(), true);
    }

    private void roundTripJipcServer(Lib lib, TlsOptions tls, boolean clientCert) throws Exception {
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<Case> cases = InteropCases.all();
        try (JipcServer srv = new JipcServer(lib, tls);
                NodePeer client = NetworkSupport.client(lib, Transport.TLS, "localhost", port(srv.server),
                    nodeClientTls(certs.ca(), clientCert))) {
            JsonNode secure = client.awaitEvent("secure", T);
            assertThat(secure.path("authorized").asBoolean()).as("node verified jipc's certificate: %s", secure).isTrue();
            assertThat(secure.path("peer").asString()).isEqualTo("localhost");
            client.awaitEvent("connect", T);
            IpcSocket socket = srv.connected.await(1, T).get(0);

            for (Case c : cases) {
                client.command(c.nodeEmit("message"), T);
            }
            InteropCases.assertJson(srv.got.await(cases.size(), T), texts(cases, c -> c.sentBy(lib)),
                "what jipc received from the " + lib + " TLS client");
            assertThat(InteropCases.reprs(client, cases.size())).as("echo at the %s TLS client", lib)
                .isEqualTo(texts(cases, c -> c.afterBothHops(lib, profile)));

            socket.emit("hello", Map.of("from", "jipc", "text", "é😀\u2028"));
            JsonNode hello = client.awaitMessages(1, T).get(0);
            assertThat(hello.path("type").asString()).isEqualTo("hello");
            assertThat(hello.path("data")).isEqualTo(InteropCases.parse("{\"from\":\"jipc\",\"text\":\"é😀\u2028\"}"));
            assertThat(srv.errors).as("jipc server errors").isEmpty();
            assertThat(srv.connected.snapshot()).hasSize(1);
        }
    }

    /** A node client that trusts another CA refuses jipc's certificate; jipc never announces the connection. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void nodeClientRejectsJipcServerFromAnUnknownCa(Lib lib) throws Exception {
        try (JipcServer srv = new JipcServer(lib, jipcServerTls().build());
                NodePeer client = NetworkSupport.client(lib, Transport.TLS, HOST, port(srv.server),
                    nodeClientTls(certs.otherCa(), false, "--max-retries=0"))) {
            JsonNode error = client.awaitEvent("error", T);
            assertThat(error.path("code").asString()).as("node's verdict: %s", error)
                .isEqualTo("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
            client.awaitEvent("destroy", T);
            srv.errorsSeen.await(1, T); // jipc saw the handshake fail (node's alert)
            List<String> lifecycle = lifecycle(client);
            if (lib.legacy()) {
                // 9.x-12.x publish connect at TCP connect, before the handshake (research §1.9)
                assertThat(lifecycle).as("%s client lifecycle", lib).containsExactly("connect", "error", "disconnect", "destroy");
            } else {
                assertThat(lifecycle).as("%s client lifecycle", lib).containsExactly("error", "disconnect", "destroy");
            }
            assertThat(srv.connected.snapshot()).as("jipc connect events").isEmpty();
            assertThat(srv.errors.get(0)).isInstanceOf(SSLException.class);
        }
    }

    /** jipc requires a client certificate: a node client without one gets no message through. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void mutualJipcServerRefusesNodeClientWithoutCertificate(Lib lib) throws Exception {
        try (JipcServer srv = new JipcServer(lib, jipcMutualServerTls());
                NodePeer client = NetworkSupport.client(lib, Transport.TLS, HOST, port(srv.server),
                    nodeClientTls(certs.ca(), false, "--max-retries=0"))) {
            // try to get a message through: emitted while connecting, node writes it once it believes it
            // is connected. (Not after the alert: a node TLS socket that is written to between its alert
            // 'error' and its 'close' may never close, so node-ipc 14 then never publishes disconnect.)
            client.command(NodePeer.emit("message", Map.of("sneaky", true)), T);
            // TLS 1.3: the client's handshake is complete before the server judges its (empty) certificate,
            // so every lib first reports connect + an authorized "secure", then the server's alert.
            // JSSE answers a missing certificate with bad_certificate (42) on JDK 17, certificate_required (116) on 25.
            JsonNode error = client.awaitEvent("error", e -> !e.has("cmd"), T);
            assertThat(error.path("code").asString()).as("node's error: %s", error)
                // the alert JSSE sends for a missing client certificate: bad_certificate on JDK 17,
                // certificate_required (TLS 1.3's own alert) on newer JDKs
                .isIn("ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE", "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED");
            JsonNode secure = client.awaitEvent("secure", T);
            assertThat(secure.path("authorized").asBoolean()).as("%s", secure).isTrue();
            srv.errorsSeen.await(1, T);
            assertThat(srv.errors.get(0)).as("jipc's error").isInstanceOf(SSLException.class)
                // JSSE's wording, or OpenSSL's (the same code node reports)
                .hasMessageMatching("(?s).*(Empty client certificate chain|PEER_DID_NOT_RETURN_A_CERTIFICATE).*");
            assertThat(srv.connected.snapshot()).as("jipc connect events").isEmpty();
            assertThat(srv.got.snapshot()).as("messages jipc delivered").isEmpty();
            assertThat(lifecycle(client).subList(0, 2)).as("%s client lifecycle", lib).containsExactly("connect", "error");
        }
    }

    // ------------------------------------------------------------------------------------------
    // node server, jipc client

    /** A jipc TLS client (id "peer") recording "message"/"hello" payloads, connects and errors. */
    private static final class JipcClient implements AutoCloseable {
        final Ipc ipc;
        final IpcClient client;
        final Inbox<JsonNode> got = new Inbox<>();
        final Inbox<String> lifecycle = new Inbox<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final CountDownLatch up = new CountDownLatch(1);

        JipcClient(Lib lib, TlsOptions tls, int port, boolean retry) {
            IpcConfig.Builder b = IpcConfig.builder(InteropCases.profileOf(lib)).id("cli").silent(true).retry(100).tls(tls);
            if (!retry) {
                b.maxRetries(0);
            }
            ipc = new Ipc(b.build());
            try {
                client = connect(port);
            } catch (RuntimeException | Error e) {
                ipc.close();
                throw e;
            }
        }

        private IpcClient connect(int port) {
            return ipc.connectToNet("peer", HOST, port, c -> c.on("message", got::accept).on("hello", got::accept)
                .onConnect(() -> {
                    lifecycle.accept("connect");
                    up.countDown();
                })
                .onError(e -> {
                    errors.add(e);
                    lifecycle.accept("error");
                })
                .onDisconnect(() -> lifecycle.accept("disconnect"))
                .onDestroy(() -> lifecycle.accept("destroy")));
        }

        void awaitConnected() throws InterruptedException {
            assertThat(up.await(T.toSeconds(), TimeUnit.SECONDS)).as("jipc TLS client connected; errors %s", errors).isTrue();
        }

        @Override
        public void close() {
            ipc.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void serverAuthNodeServerJipcClient(Lib lib) throws Exception {
        roundTripNodeServer(lib, false);
    }

    @ParameterizedTest
    @EnumSource(Lib.class)
    void mutualNodeServerJipcClient(Lib lib) throws Exception {
        roundTripNodeServer(lib, true);
    }

    private void roundTripNodeServer(Lib lib, boolean mutual) throws Exception {
        PayloadProfile profile = InteropCases.profileOf(lib);
        List<Case> cases = InteropCases.all();
        try (NodePeer server = NetworkSupport.server(lib, Transport.TLS, HOST, NetworkSupport.freeTcpPort(),
                    nodeServerTls(mutual, "--echo"));
                JipcClient jc = new JipcClient(lib, mutual ? jipcMutualClientTls() : jipcClientTls().build(),
                    NetworkSupport.portOf(server), true)) {
            jc.awaitConnected();
            JsonNode connect = server.awaitEvent("connect", T);
            JsonNode tls = connect.path("tls");
            if (mutual) {
                assertThat(tls.path("authorized").asBoolean()).as("node verified jipc's client certificate: %s", connect).isTrue();
                assertThat(tls.path("peer").asString()).isEqualTo("jipc-test-client");
            } else {
                assertThat(tls.path("peer").isNull()).as("no client certificate was asked for: %s", connect).isTrue();
            }

            for (Case k : cases) {
                k.emitFrom(jc.client, "message");
            }
            assertThat(InteropCases.reprs(server, cases.size())).as("what the %s TLS server received from jipc", lib)
                .isEqualTo(texts(cases, k -> k.sentBy(profile)));
            InteropCases.assertJson(jc.got.await(cases.size(), T), texts(cases, k -> k.afterBothHops(lib, profile)),
                "echo of the " + lib + " TLS server at jipc");

            server.command(NodePeer.emit("hello", Map.of("from", "node", "text", "é😀\u2028")), T);
            assertThat(jc.got.await(cases.size() + 1, T).get(cases.size()))
                .isEqualTo(InteropCases.parse("{\"from\":\"node\",\"text\":\"é😀\u2028\"}"));
            assertThat(jc.errors).as("jipc client errors").isEmpty();
            assertThat(jc.lifecycle.snapshot()).containsExactly("connect");
        }
    }

    /** jipc verifies the node server's certificate: trusting only another CA, it never connects. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void jipcClientRejectsNodeServerFromAnUnknownCa(Lib lib) throws Exception {
        try (NodePeer server = NetworkSupport.server(lib, Transport.TLS, HOST, NetworkSupport.freeTcpPort(),
                    nodeServerTls(false));
                JipcClient jc = new JipcClient(lib, TlsOptions.builder().trustedConnections(certs.otherCa()).build(),
                    NetworkSupport.portOf(server), false)) {
            jc.lifecycle.awaitItem("destroy", T);
            assertThat(jc.lifecycle.snapshot()).as("jipc lifecycle").doesNotContain("connect").contains("error");
            // jipc reports the handshake failure as an SSLHandshakeException carrying the JSSE reason in its message
            assertThat(jc.errors.get(0)).as("jipc's error").isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .hasMessageContaining("unable to find valid certification path");
            server.awaitEvent("tlsClientError", T);
            server.barrier(T);
            assertThat(events(server)).as("node server events").doesNotContain("connect", "message");
        }
    }

    /** A node server requiring a client certificate refuses a jipc client without one. */
    @ParameterizedTest
    @EnumSource(Lib.class)
    void mutualNodeServerRefusesJipcClientWithoutCertificate(Lib lib) throws Exception {
        try (NodePeer server = NetworkSupport.server(lib, Transport.TLS, HOST, NetworkSupport.freeTcpPort(),
                    nodeServerTls(true));
                JipcClient jc = new JipcClient(lib, jipcClientTls().build(), NetworkSupport.portOf(server), false)) {
            jc.client.emit("message", Map.of("sneaky", true));
            JsonNode refused = server.awaitEvent("tlsClientError", T);
            jc.lifecycle.awaitItem("destroy", T);
            server.barrier(T);
            assertThat(refused.path("code").asString()).isEqualTo("ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE");
            assertThat(events(server)).as("node server events (%s)", refused).doesNotContain("connect", "message");
            // TLS 1.3: jipc's handshake completes (connect) before node's certificate_required alert arrives,
            // exactly as for a node-ipc 14 client; no retry with maxRetries 0
            assertThat(jc.lifecycle.snapshot()).as("jipc lifecycle").containsExactly("connect", "error", "disconnect", "destroy");
            assertThat(chain(jc.errors.get(0))).as("jipc's error %s", jc.errors.get(0))
                .anyMatch(t -> t instanceof SSLException
                    && String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("certificate_required"));
        }
    }

    // ------------------------------------------------------------------------------------------

    private static List<Throwable> chain(Throwable t) {
        List<Throwable> l = new ArrayList<>();
        for (Throwable x = t; x != null && !l.contains(x); x = x.getCause()) {
            l.add(x);
        }
        return l;
    }

    private static List<String> events(NodePeer peer) {
        return peer.history().stream().map(e -> e.path("event").asString()).toList();
    }

    private static final List<String> LIFECYCLE = List.of("connect", "secure", "error", "disconnect", "destroy");

    /** The client peer's connect / error / disconnect / destroy events so far, in order ("secure" left out). */
    private static List<String> lifecycle(NodePeer peer) {
        return peer.history().stream().filter(e -> !e.has("cmd")).map(e -> e.path("event").asString())
            .filter(LIFECYCLE::contains).filter(e -> !e.equals("secure")).toList();
    }
}
