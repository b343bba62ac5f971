package io.jipc.cli;

import io.jipc.NetType;
import io.jipc.TlsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The transport flags {@code serve} and {@code connect} share (a picocli mixin): {@code --tcp},
 * {@code --udp4}, {@code --udp6}, {@code --host}, {@code --tls}, {@code --key}, {@code --cert},
 * {@code --ca}. Without any of them the commands use a Unix socket, as before. The command-specific
 * ones ({@code serve --request-cert}; {@code connect --insecure}, {@code --bind}) live in the commands
 * and are checked here too, so that every invalid combination fails the same way: an
 * {@link IllegalArgumentException} whose message names the flags (the commands exit 2 with it).
 */
final class TransportOptions {
    static final String LOOPBACK4 = "127.0.0.1";
    static final String LOOPBACK6 = "::1";

    @Option(names = "--tcp", paramLabel = "HOST:PORT",
        description = "Use TCP at HOST:PORT instead of a Unix socket (IPv6 as [::1]:8000; serve: port 0 picks a free port).")
    String tcp;

    @Option(names = "--udp4", paramLabel = "PORT",
        description = "Use UDP over IPv4: serve binds PORT on --host (0: any free port); connect sends datagrams to --host:PORT.")
    Integer udp4;

    @Option(names = "--udp6", paramLabel = "PORT",
        description = "Use UDP over IPv6: serve binds PORT on --host (0: any free port); connect sends datagrams to --host:PORT.")
    Integer udp6;

    @Option(names = "--host", paramLabel = "HOST",
        description = "Host for --udp4/--udp6 (default: 127.0.0.1 for --udp4, ::1 for --udp6).")
    String host;

    @Option(names = "--tls", description = "Speak TLS over --tcp (node-ipc's config.tls).")
    boolean tls;

    @Option(names = "--key", paramLabel = "FILE",
        description = "With --tls: PEM private key (serve: required; connect: for a client certificate).")
    String key;

    @Option(names = "--cert", paramLabel = "FILE",
        description = "With --tls: PEM certificate chain for --key (serve: required; connect: client certificate).")
    String cert;

    @Option(names = "--ca", paramLabel = "FILE",
        description = "With --tls: trust this CA's PEM certificate(s) instead of the JDK's default trust store "
            + "(repeatable; connect: to verify the server; serve: to verify client certificates).")
    List<String> ca = new ArrayList<>();

    /**
     * The transport for {@code serve}.
     * @param requestCert {@code --request-cert}
     * @param unixOnly    the Unix-socket flags given ({@code "--path"}, {@code "--id"}); null entries are skipped
     * @throws IllegalArgumentException for an invalid combination, naming the flags
     */
    Transport forServe(boolean requestCert, String... unixOnly) {
        Transport t = resolve(0, unixOnly);
        requireTls("--request-cert", requestCert);
        if (tls && (key == null || cert == null)) {
            throw new IllegalArgumentException("serve --tls needs the server's --key FILE and --cert FILE");
        }
        if (!ca.isEmpty() && !requestCert) {
            throw new IllegalArgumentException("serve --ca verifies client certificates: it requires --request-cert");
        }
        if (!tls) {
            return t;
        }
        TlsOptions options = TlsOptions.builder().privateKey(key).publicCert(cert)
            .trustedConnections(ca.toArray(String[]::new)).requestCert(requestCert).build();
        return new Transport(t.type(), t.address(), options, 0);
    }

    /**
     * The transport for {@code connect}.
     * @param insecure {@code --insecure}
     * @param bind     {@code --bind}, or null
     * @param unixOnly the Unix-socket flags given ({@code "--path"}); null entries are skipped
     * @throws IllegalArgumentException for an invalid combination, naming the flags
     */
    Transport forConnect(boolean insecure, Integer bind, String... unixOnly) {
        Transport t = resolve(1, unixOnly);
        requireTls("--insecure", insecure);
        if (insecure && !ca.isEmpty()) {
            throw new IllegalArgumentException("--insecure turns certificate verification off: it cannot be combined with --ca");
        }
        if (bind != null && !t.isUdp()) {
            throw new IllegalArgumentException("--bind requires --udp4 or --udp6");
        }
        int local = bind == null ? 0 : checkPort("--bind", bind, 0);
        if (!tls) {
            return new Transport(t.type(), t.address(), null, local);
        }
        TlsOptions options = TlsOptions.builder().privateKey(key).publicCert(cert)
            .trustedConnections(ca.toArray(String[]::new)).rejectUnauthorized(!insecure).build();
        return new Transport(t.type(), t.address(), options, local);
    }

    private Transport resolve(int minPort, String... unixOnly) {
        List<String> net = new ArrayList<>();
        if (tcp != null) {
            net.add("--tcp");
        }
        if (udp4 != null) {
            net.add("--udp4");
        }
        if (udp6 != null) {
            net.add("--udp6");
        }
        if (net.size() > 1) {
            throw new IllegalArgumentException(String.join(" and ", net) + " cannot be combined: choose one transport");
        }
        for (String flag : unixOnly) {
            if (flag != null && !net.isEmpty()) {
                throw new IllegalArgumentException(flag + " is for Unix sockets: it cannot be combined with " + net.get(0));
            }
        }
        if (host != null && udp4 == null && udp6 == null) {
            throw new IllegalArgumentException("--host requires --udp4 or --udp6"
                + (tcp != null ? " (--tcp takes HOST:PORT)" : ""));
        }
        if (tls && tcp == null) {
            throw new IllegalArgumentException("--tls requires --tcp HOST:PORT (TLS runs over TCP only)"
                + (net.isEmpty() ? "" : "; it cannot be combined with " + net.get(0)));
        }
        requireTls("--key", key != null);
        requireTls("--cert", cert != null);
        requireTls("--ca", !ca.isEmpty());
        if ((key == null) != (cert == null)) {
            throw new IllegalArgumentException("--key and --cert go together: give both");
        }
        readable("--key", key);
        readable("--cert", cert);
        for (String file : ca) {
            readable("--ca", file);
        }
        if (tcp != null) {
            HostPort at = HostPort.parse("--tcp", tcp);
            checkPort("--tcp", at.port(), minPort);
            return new Transport(NetType.TCP, at, null, 0);
        }
        if (udp4 != null) {
            return udp(NetType.UDP4, "--udp4", udp4, minPort);
        }
        if (udp6 != null) {
            return udp(NetType.UDP6, "--udp6", udp6, minPort);
        }
        return Transport.UNIX;
    }

    private Transport udp(NetType type, String flag, int port, int minPort) {
        boolean v6 = type == NetType.UDP6;
        String h = host != null ? host : v6 ? LOOPBACK6 : LOOPBACK4;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (!v6 && h.indexOf(':') >= 0) {
            throw new IllegalArgumentException("--udp4 needs an IPv4 host but --host is " + h + " (use --udp6)");
        }
        if (v6 && h.matches("[0-9.]+")) {
            throw new IllegalArgumentException("--udp6 needs an IPv6 host but --host is " + h + " (use --udp4)");
        }
        return new Transport(type, new HostPort(h, checkPort(flag, port, minPort)), null, 0);
    }

    private void requireTls(String flag, boolean given) {
        if (given && !tls) {
            throw new IllegalArgumentException(flag + " requires --tls");
        }
    }

    private static int checkPort(String flag, int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(flag + ": port must be " + min + "-65535 but was " + port);
        }
        return port;
    }

    private static void readable(String flag, String file) {
        if (file != null && !Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException(flag + " " + file + ": "
                + (Files.exists(Path.of(file)) ? "cannot read the file" : "no such file"));
        }
    }
}
