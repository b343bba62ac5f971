package io.jipc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** serve and connect over TCP and UDP, in-process; every wait is on an output line. */
class NetworkCommandTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

    /** Waits for serve's "listening on PREFIX…:PORT" line. @return the port */
    static int listening(Cli.Running serve, String prefix) throws InterruptedException {
        String line = serve.err.await(l -> l.startsWith("listening on " + prefix), WAIT);
        Matcher m = PORT.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(60)
    void tcpEchoRoundTrip() throws Exception {
        int port = freeTcpPort();
        Cli.Running serve = Cli.start("serve", "--tcp", "127.0.0.1:" + port, "--echo");
        try {
            serve.err.await(l -> l.equals("listening on tcp 127.0.0.1:" + port), WAIT);

            Cli.Result r = Cli.run("connect", "--tcp", "127.0.0.1:" + port, "--emit", "message", "{\"a\":1}", "--count", "1");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"type\":\"message\",\"data\":{\"a\":1}}");
            serve.out.await(l -> l.equals("{\"type\":\"message\",\"data\":{\"a\":1}}"), WAIT);
        } finally {
            assertThat(serve.stop()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void tcpOverIpv6WithPortZeroPrintsTheBoundPort() throws Exception {
        Cli.Running serve = Cli.start("serve", "--tcp", "[::1]:0", "--echo");
        try {
            int port = listening(serve, "tcp [::1]:");
            assertThat(port).isPositive();

            Cli.Result r = Cli.run("connect", "svc", "--tcp", "[::1]:" + port, "--emit", "n", "2", "--count", "1");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"type\":\"n\",\"data\":2}");
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void eventsPrintLikeJavaScriptJsonStringify() throws Exception {
        Cli.Running serve = Cli.start("serve", "--tcp", "127.0.0.1:0", "--echo");
        try {
            int port = listening(serve, "tcp 127.0.0.1:");
            // JSON.stringify(JSON.parse(...)) in node: index keys first, 1e21 as 1e+21, 1.0 as 1, -0 as 0,
            // U+2028 unescaped
            String expected = "{\"type\":\"m\",\"data\":{\"1\":[1,0,0.1],\"2\":\"\u2028\",\"b\":1e+21,\"a\":1.5e-7}}";

            Cli.Result r = Cli.run("connect", "--tcp", "127.0.0.1:" + port, "--count", "1",
                "--emit", "m", "{\"b\":1e21,\"2\":\"\u2028\",\"a\":0.00000015,\"1\":[1.0,-0.0,0.1]}");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly(expected);
            serve.out.await(l -> l.equals(expected), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void udp4EchoRoundTrip() throws Exception {
        Cli.Running serve = Cli.start("serve", "--udp4", "0", "--echo");
        try {
            int port = listening(serve, "udp4 127.0.0.1:");

            Cli.Result r = Cli.run("connect", "--udp4", String.valueOf(port), "--emit", "message", "\"x\"", "--count", "1");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactly("{\"type\":\"message\",\"data\":\"x\"}");
            serve.out.await(l -> l.equals("{\"type\":\"message\",\"data\":\"x\"}"), WAIT);
        } finally {
            assertThat(serve.stop()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void udp6EchoRoundTripFromAGivenLocalPort() throws Exception {
        Cli.Running serve = Cli.start("serve", "--udp6", "0", "--echo");
        try {
            int port = listening(serve, "udp6 [::1]:");
            int local;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, InetAddress.getByName("::1"))) {
                local = probe.getLocalPort();
            }

            Cli.Result r = Cli.run("connect", "--udp6", String.valueOf(port), "--bind", String.valueOf(local),
                "--emit", "message", "\"x\"", "--emit", "second", "[true]", "--count", "2");

            assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
            assertThat(r.out()).containsExactlyInAnyOrder("{\"type\":\"message\",\"data\":\"x\"}",
                "{\"type\":\"second\",\"data\":[true]}");
            serve.out.await(l -> l.equals("{\"type\":\"second\",\"data\":[true]}"), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void udpWithoutRepliesTimesOut() throws Exception {
        Cli.Running serve = Cli.start("serve", "--udp4", "0"); // no --echo: nothing comes back
        try {
            int port = listening(serve, "udp4 127.0.0.1:");

            Cli.Result r = Cli.run("connect", "--udp4", String.valueOf(port), "--timeout", "0.5",
                "--emit", "message", "1", "--count", "1");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(String.join("\n", r.err()))
                .contains("timed out after 0.5 s waiting for events from udp4 127.0.0.1:" + port + ": received 0 of 1");
            serve.out.await(l -> l.equals("{\"type\":\"message\",\"data\":1}"), WAIT);
        } finally {
            serve.stop();
        }
    }

    @Test
    @Timeout(60)
    void tcpConnectWithNothingListeningTimesOutNamingTheAddress() throws Exception {
        int port = freeTcpPort();

        Cli.Result r = Cli.run("connect", "--tcp", "127.0.0.1:" + port, "--timeout", "1", "--emit", "m", "1");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(String.join("\n", r.err())).contains("could not connect to tcp 127.0.0.1:" + port + " within 1 s");
    }
}
