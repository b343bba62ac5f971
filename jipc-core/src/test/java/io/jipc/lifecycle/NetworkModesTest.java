package io.jipc.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.jipc.ClientInterface;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.Recorder;
import io.jipc.TlsOptions;
import io.jipc.testing.TempSockets;
import io.jipc.testing.TestCerts;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Options that matter on the network, each over plain TCP and over TLS (server authentication with
 * certificates minted by {@link TestCerts}): {@code interfaces} binds the client's local end, and
 * {@code rawBuffer} carries bytes (and {@code encoding}-decoded strings) exactly, jipc to jipc.
 */
@Timeout(60)
class NetworkModesTest extends LifecycleTestBase {
    static final String HOST = "127.0.0.1";
    @TempDir
    static Path certDir;
    static TestCerts certs;

    @BeforeAll
    static void mintCertificates() {
        certs = TestCerts.mint(certDir);
    }

    /** Server side: TLS with the CA-signed 127.0.0.1 certificate when {@code tls}, else plain TCP. */
    static UnaryOperator<IpcConfig.Builder> server(boolean tls, UnaryOperator<IpcConfig.Builder> more) {
        return b -> more.apply(tls
            ? b.tls(TlsOptions.builder().privateKey(certs.serverKey()).publicCert(certs.serverCert()).build())
            : b);
    }

    /** Client side: TLS trusting the CA (chain and host name verified) when {@code tls}, else plain TCP. */
    static UnaryOperator<IpcConfig.Builder> client(boolean tls, UnaryOperator<IpcConfig.Builder> more) {
        return b -> more.apply(tls ? b.tls(TlsOptions.builder().trustedConnections(certs.ca()).build()) : b);
    }

    static int port(IpcServer s) {
        return ((InetSocketAddress) s.localAddress()).getPort();
    }

    static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        new Random(42).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void interfacesBindsTheClientsLocalAddressAndPort(boolean tls) {
        Recorder ev = new Recorder();
        IpcServer s = fx.ipc("srv", server(tls, b -> b)).serveNet(HOST, 0)
            .onConnect(socket -> ev.add("from " + socket.remoteAddress()))
            .on("hi", (data, socket) -> socket.emit("ho", data.asString())).start();
        int local = TempSockets.freeTcpPort();
        IpcClient c = fx.ipc("c", client(tls, b -> b.interfaces(new ClientInterface(HOST, local, 4))))
            .connectToNet("srv", HOST, port(s), cl -> cl.on("ho", d -> ev.add("ho " + d.asString())));
        c.emit("hi", "there");
        ev.awaitLine("ho there", WAIT);
        assertThat(ev.lines()).filteredOn(l -> l.startsWith("from ")).singleElement()
            .isEqualTo("from " + new InetSocketAddress(HOST, local));
        assertThat(s.sockets()).singleElement()
            .satisfies(sock -> assertThat(((InetSocketAddress) sock.remoteAddress()).getPort()).isEqualTo(local));
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void everyByteValueRoundTripsUntouched(boolean tls) {
        echoRoundTrip(tls, allBytes());
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void twoHundredKibRoundTripUntouched(boolean tls) {
        echoRoundTrip(tls, pattern(200 * 1024));
    }

    /** Raw echo server and client; both sides collect chunks until {@code payload.length} bytes arrived. */
    private void echoRoundTrip(boolean tls, byte[] payload) {
        ByteArrayOutputStream atServer = new ByteArrayOutputStream();
        ByteArrayOutputStream atClient = new ByteArrayOutputStream();
        Recorder ev = new Recorder();
        IpcServer s = fx.ipc("srv", server(tls, b -> b.rawBuffer(true))).serveNet(HOST, 0).onData((bytes, socket) -> {
            synchronized (atServer) {
                atServer.writeBytes(bytes);
                if (atServer.size() >= payload.length) {
                    ev.add("server has " + atServer.size());
                }
            }
            socket.emit(bytes.clone());
        }).start();
        IpcClient c = fx.ipc("c", client(tls, b -> b.rawBuffer(true)))
            .connectToNet("srv", HOST, port(s), cl -> cl.onData(bytes -> {
                synchronized (atClient) {
                    atClient.writeBytes(bytes);
                    if (atClient.size() >= payload.length) {
                        ev.add("client has " + atClient.size());
                    }
                }
            }));
        c.emit(payload);
        ev.await(l -> l.stream().anyMatch(x -> x.startsWith("client has ")), WAIT, "the echo of " + payload.length + " bytes");
        synchronized (atServer) {
            assertThat(atServer.toByteArray()).isEqualTo(payload);
        }
        synchronized (atClient) {
            assertThat(atClient.toByteArray()).isEqualTo(payload);
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void hexStringsArriveAsTheirBytes(boolean tls) {
        String hex = HexFormat.of().formatHex(allBytes());
        ByteArrayOutputStream atServer = new ByteArrayOutputStream();
        ByteArrayOutputStream atClient = new ByteArrayOutputStream();
        Recorder ev = new Recorder();
        IpcServer s = fx.ipc("srv", server(tls, b -> b.rawBuffer(true).encoding("hex"))).serveNet(HOST, 0)
            .onData((bytes, socket) -> {
                synchronized (atServer) {
                    atServer.writeBytes(bytes);
                    if (atServer.size() == 256) {
                        ev.add("server has all");
                        socket.emit("deadBEEF00");
                    }
                }
            }).start();
        IpcClient c = fx.ipc("c", client(tls, b -> b.rawBuffer(true).encoding("hex")))
            .connectToNet("srv", HOST, port(s), cl -> cl.onData(bytes -> {
                synchronized (atClient) {
                    atClient.writeBytes(bytes);
                    if (atClient.size() == 5) {
                        ev.add("client has all");
                    }
                }
            }));
        c.emit(hex);
        ev.awaitLine("client has all", WAIT);
        synchronized (atServer) {
            assertThat(atServer.toByteArray()).isEqualTo(allBytes());
        }
        synchronized (atClient) {
            assertThat(atClient.toByteArray()).isEqualTo(HexFormat.of().parseHex("deadbeef00"));
        }
    }
}
