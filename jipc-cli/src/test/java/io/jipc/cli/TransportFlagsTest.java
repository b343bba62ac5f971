package io.jipc.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Flags that do not combine exit 2 with a message naming them; HOST:PORT parsing; the help texts. */
class TransportFlagsTest {
    @TempDir
    static Path dir;

    private static String junk;

    @BeforeAll
    static void files() throws IOException {
        junk = Files.writeString(dir.resolve("junk.pem"), "not a PEM file\n").toString();
    }

    static Stream<Arguments> badCombinations() {
        return Stream.of(
            Arguments.of("serve --tls", "--tls requires --tcp HOST:PORT"),
            Arguments.of("connect --udp4 9 --tls", "--tls requires --tcp HOST:PORT (TLS runs over TCP only); it cannot be combined with --udp4"),
            Arguments.of("serve --tcp 127.0.0.1:0 --udp4 0", "--tcp and --udp4 cannot be combined"),
            Arguments.of("connect --udp4 9 --udp6 9", "--udp4 and --udp6 cannot be combined"),
            Arguments.of("serve --tcp 127.0.0.1:0 --path /tmp/x.sock", "--path is for Unix sockets: it cannot be combined with --tcp"),
            Arguments.of("serve --id x --udp6 0", "--id is for Unix sockets: it cannot be combined with --udp6"),
            Arguments.of("connect --path /tmp/x.sock --udp4 9", "--path is for Unix sockets: it cannot be combined with --udp4"),
            Arguments.of("serve --tcp 8000", "--tcp expects HOST:PORT (IPv6 as [::1]:8000) but got '8000'"),
            Arguments.of("connect --tcp ::1:8000", "put an IPv6 address in brackets"),
            Arguments.of("connect --tcp localhost:http", "the port must be a number"),
            Arguments.of("connect --tcp 127.0.0.1:0", "--tcp: port must be 1-65535 but was 0"),
            Arguments.of("serve --udp6 70000", "--udp6: port must be 0-65535 but was 70000"),
            Arguments.of("connect --udp4 0", "--udp4: port must be 1-65535 but was 0"),
            Arguments.of("serve --host 127.0.0.1", "--host requires --udp4 or --udp6"),
            Arguments.of("connect --tcp 127.0.0.1:1 --host ::1", "--host requires --udp4 or --udp6 (--tcp takes HOST:PORT)"),
            Arguments.of("serve --udp4 0 --host ::1", "--udp4 needs an IPv4 host but --host is ::1 (use --udp6)"),
            Arguments.of("connect --udp6 9 --host 127.0.0.1", "--udp6 needs an IPv6 host but --host is 127.0.0.1 (use --udp4)"),
            Arguments.of("serve --tcp 127.0.0.1:0 --key {junk} --cert {junk}", "--key requires --tls"),
            Arguments.of("connect --tcp 127.0.0.1:1 --ca {junk}", "--ca requires --tls"),
            Arguments.of("serve --tcp 127.0.0.1:0 --request-cert", "--request-cert requires --tls"),
            Arguments.of("connect --tcp 127.0.0.1:1 --insecure", "--insecure requires --tls"),
            Arguments.of("serve --tcp 127.0.0.1:0 --tls", "serve --tls needs the server's --key FILE and --cert FILE"),
            Arguments.of("connect --tcp 127.0.0.1:1 --tls --key {junk}", "--key and --cert go together: give both"),
            Arguments.of("connect --tcp 127.0.0.1:1 --tls --ca /nonexistent/ca.pem", "--ca /nonexistent/ca.pem: no such file"),
            Arguments.of("connect --tcp 127.0.0.1:1 --tls --insecure --ca {junk}", "--insecure turns certificate verification off: it cannot be combined with --ca"),
            Arguments.of("serve --tcp 127.0.0.1:0 --tls --key {junk} --cert {junk} --ca {junk}", "serve --ca verifies client certificates: it requires --request-cert"),
            Arguments.of("serve --tcp 127.0.0.1:0 --tls --key {junk} --cert {junk}", "jipc serve: --key: no PEM private key"),
            Arguments.of("connect --tcp 127.0.0.1:1 --tls --ca {junk}", "jipc connect: --ca: no \"BEGIN CERTIFICATE\" block in"),
            Arguments.of("connect x --bind 5", "--bind requires --udp4 or --udp6"),
            Arguments.of("connect --udp4 9 --bind 65536", "--bind: port must be 0-65535 but was 65536"),
            Arguments.of("connect --emit m 1", "missing ID: give the service ID, or --path PATH"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCombinations")
    @Timeout(60)
    void badCombinationsExit2NamingTheFlags(String args, String message) {
        Cli.Result r = Cli.run(args.replace("{junk}", junk).split(" "));

        assertThat(r.exitCode()).as("stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.err()).singleElement().asString().startsWith("jipc ").contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    @Timeout(60)
    void hostPortParsing() {
        assertThat(HostPort.parse("--tcp", "127.0.0.1:8000")).isEqualTo(new HostPort("127.0.0.1", 8000));
        assertThat(HostPort.parse("--tcp", "[::1]:8000")).isEqualTo(new HostPort("::1", 8000));
        assertThat(HostPort.parse("--tcp", "localhost:0")).isEqualTo(new HostPort("localhost", 0));
        assertThat(new HostPort("::1", 8000)).hasToString("[::1]:8000");
        assertThatThrownBy(() -> HostPort.parse("--tcp", "[127.0.0.1]:1")).hasMessageContaining("brackets are for IPv6");
        assertThatThrownBy(() -> HostPort.parse("--tcp", ":1")).hasMessageContaining("expects HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("--tcp", "h:")).hasMessageContaining("expects HOST:PORT");
    }

    @Test
    @Timeout(60)
    void helpTextsListTheTransportFlags() {
        Cli.Result serve = Cli.run("serve", "--help");
        Cli.Result connect = Cli.run("connect", "--help");

        assertThat(serve.exitCode()).isZero();
        assertThat(connect.exitCode()).isZero();
        String s = String.join("\n", serve.out());
        String c = String.join("\n", connect.out());
        assertThat(s).contains("--tcp=HOST:PORT", "--udp4=PORT", "--udp6=PORT", "--host=HOST", "--tls", "--key=FILE",
            "--cert=FILE", "--ca=FILE", "--request-cert", "listening on").doesNotContain("--insecure", "--bind");
        assertThat(c).contains("--tcp=HOST:PORT", "--udp4=PORT", "--udp6=PORT", "--host=HOST", "--tls", "--key=FILE",
            "--cert=FILE", "--ca=FILE", "--insecure", "--bind=PORT").doesNotContain("--request-cert");
    }
}
