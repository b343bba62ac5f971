package io.jipc.stream;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.TlsOptions;
import io.jipc.testing.TempSockets;
import io.jipc.testing.TestCerts;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream contract over TCP on loopback, plain or TLS, on one channel flavour. Each endpoint name gets a
 * free port on first use; TLS material is minted by openssl once per test class.
 */
abstract class TcpContractTest extends StreamContractTest {
    /** What TLS a run uses. */
    enum Tls { NONE, SERVER_AUTH, MUTUAL, MUTUAL_JDK_ENGINE, SERVER_AUTH_JDK_ENGINE }

    @TempDir
    static Path certDir;
    static TestCerts certs;

    private final String host;
    private final boolean preferNative;
    private final Tls tls;
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();

    TcpContractTest(String host, boolean preferNative, Tls tls) {
        this.host = host;
        this.preferNative = preferNative;
        this.tls = tls;
    }

    /** Skips where epoll or IPv6 loopback is missing; mints this class's certificates on first use. */
    @Override
    void assumeAvailable() {
        Assumptions.assumeTrue(!preferNative || Epoll.isAvailable(), "native epoll not available here");
        Assumptions.assumeTrue(host.indexOf(':') < 0 || hasIpv6Loopback(), "no IPv6 loopback here");
        if (tls != Tls.NONE && (certs == null || !certs.ca().startsWith(certDir.toString()))) {
            certs = TestCerts.mint(certDir);
        }
    }

    @Override
    boolean preferNative() {
        return preferNative;
    }

    @Override
    String expectedTransport() {
        return preferNative ? "epoll" : "nio";
    }

    @Override
    IpcConfig.Builder configure(IpcConfig.Builder builder) {
        if (tls == Tls.NONE) {
            return builder;
        }
        return builder.tls(TlsOptions.builder().privateKey(certs.serverKey()).publicCert(certs.serverCert())
            .trustedConnections(certs.ca()).requestCert(tls == Tls.MUTUAL || tls == Tls.MUTUAL_JDK_ENGINE)
            .preferOpenSsl(tls == Tls.SERVER_AUTH || tls == Tls.MUTUAL).build());
    }

    int port(String name) {
        return ports.computeIfAbsent(name, n -> TempSockets.freeTcpPort());
    }

    @Override
    IpcServer serve(Ipc ipc, String name) {
        return ipc.serveNet(host, port(name));
    }

    @Override
    IpcClient connect(Ipc ipc, String id, String name, Consumer<IpcClient> setup) {
        return ipc.connectToNet(id, host, port(name), setup);
    }

    static boolean hasIpv6Loopback() {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
