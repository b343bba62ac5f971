package io.jipc.stream;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.TlsOptions;
import io.jipc.testing.TestCerts;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The stream contract over server-authenticated TLS (host name localhost verified) on loopback, JDK NIO. */
class NioTlsTest extends StreamContractTest {
    static TestCerts certs;

    final TcpKind kind = new TcpKind("localhost");

    @BeforeAll
    static void prerequisites() throws Exception {
        certs = TestCerts.mint(java.nio.file.Files.createTempDirectory("jipc-certs"));
    }

    @Override
    boolean preferNative() {
        return false;
    }

    @Override
    String expectedTransport() {
        return "nio";
    }

    @Override
    IpcConfig.Builder configure(IpcConfig.Builder builder) {
        return builder.tls(TlsOptions.builder().privateKey(certs.serverKey()).publicCert(certs.serverCert())
            .trustedConnections(certs.ca()).build());
    }

    @Override
    IpcServer serve(Ipc ipc, String name) {
        return kind.serve(ipc, name);
    }

    @Override
    IpcClient connect(Ipc ipc, String id, String name, Consumer<IpcClient> setup) {
        return kind.connect(ipc, id, name, setup);
    }
}
