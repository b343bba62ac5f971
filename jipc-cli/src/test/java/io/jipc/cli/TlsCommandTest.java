package io.jipc.cli;

import static io.jipc.cli.NetworkCommandTest.WAIT;
import static io.jipc.cli.NetworkCommandTest.listening;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** serve --tls and connect --tls with certificates openssl makes for this class. */
class TlsCommandTest {
    private static final String EVENT = "{\"type\":\"message\",\"data\":{\"a\":1}}";

    @TempDir
    static Path dir;

    private static TestPki pki;

    @BeforeAll
    static void mint() throws Exception {
        pki = TestPki.mint(dir);
    }

    /** A TLS echo server on a free port; {@code extra} adds flags. */
    private static Cli.Running serve(String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--tcp", "127.0.0.1:0", "--echo", "--tls",
            "--key", pki.serverKey(), "--cert", pki.serverCert()));
        args.addAll(List.of(extra));
        return Cli.start(args.toArray(String[]::new));
    }

    /** connect --tls to {@code port}, one message, waiting for its echo; {@code extra} adds flags. */
    private static Cli.Result connect(int port, String... extra) {
        List<String> args = new ArrayList<>(List.of("connect", "--tcp", "127.0.0.1:" + port, "--tls",
            "--emit", "message", "{\"a\":1}", "--count", "1"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    @Timeout(60)
    void serverAuthenticatedByTheGivenCa() throws Exception {
        Cli.Running serve = serve();
        try {
            int port = listening(serve, "tls 127.0.0.1:");

            Cli.Result r = connect(port, "--ca", pki.ca());

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly(EVENT);
            assertThat(r.err()).isEmpty();
            serve.out.await(EVENT::equals, WAIT);
        } finally {
            assertThat(serve.stop()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void mutualTlsWithAClientCertificate() throws Exception {
        Cli.Running serve = serve("--request-cert", "--ca", pki.ca());
        try {
            int port = listening(serve, "tls 127.0.0.1:");

            Cli.Result r = connect(port, "--ca", pki.ca(), "--key", pki.clientKey(), "--cert", pki.clientCert());

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly(EVENT);
            serve.out.await(EVENT::equals, WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void mutualTlsRefusesAClientWithoutCertificate() throws Exception {
        Cli.Running serve = serve("--request-cert", "--ca", pki.ca());
        try {
            int port = listening(serve, "tls 127.0.0.1:");

            Cli.Result r = connect(port, "--ca", pki.ca(), "--timeout", "30");

            assertThat(r.exitCode()).as("stdout: %s", r.out()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(String.join("\n", r.err())).contains("tls 127.0.0.1:" + port);
            serve.err.await(l -> l.startsWith("error on ") && l.contains("TLS handshake failed"), WAIT);
            assertThat(serve.out.lines()).isEmpty();
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void insecureAcceptsAnUnknownCaAndWarns() throws Exception {
        Cli.Running serve = serve();
        try {
            int port = listening(serve, "tls 127.0.0.1:");

            Cli.Result r = connect(port, "--insecure");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly(EVENT);
            assertThat(r.err()).singleElement().asString()
                .contains("WARNING", "--insecure", "verification is OFF");
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void unknownCaFailsAtOnceNamingTheTlsCause() throws Exception {
        Cli.Running serve = serve();
        try {
            int port = listening(serve, "tls 127.0.0.1:");
            long start = System.nanoTime();

            Cli.Result r = connect(port, "--timeout", "30"); // no --ca: the JDK's trust store does not know our CA

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(String.join("\n", r.err()))
                .contains("jipc connect: TLS handshake with tls 127.0.0.1:" + port + " failed: ")
                .contains("PKIX path building failed")
                .contains("--ca FILE");
            // A certificate problem is not retried until --timeout: the run ends on the first handshake.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            serve.stop();
        }
    }
}
