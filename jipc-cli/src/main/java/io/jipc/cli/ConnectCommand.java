package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code jipc connect}: connects to a service (Unix socket, TCP, TLS) or sends datagrams to a UDP
 * endpoint, sends the {@code --emit} events in order, prints every received event as one JSON line
 * on stdout, and exits 0 after {@code --count} received events (or right after the emits are written
 * when the count is 0). Exits 1 with one line on stderr when it cannot connect, times out or loses
 * the connection; 2 for an invalid argument or combination of flags. The work is done by
 * {@link StreamConnect} and {@link UdpConnect}.
 */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Connect to service ID, send the --emit events in order, print every received event to stdout "
            + "as one JSON line {\"type\":...,\"data\":...}.",
        "Transports: a Unix socket (default: <socketRoot>app.<ID>, or --path), TCP (--tcp HOST:PORT), "
            + "TLS (--tcp with --tls) or UDP (--udp4/--udp6 PORT: datagrams to --host:PORT from --bind; "
            + "ID is optional for all but the default Unix path).",
        "Exits 0 after --count received events (0: right after the emits are written), 1 on "
            + "timeout or failure (also a failed TLS handshake), 2 on invalid arguments."})
final class ConnectCommand implements Callable<Integer> {
    /** Delay between connection attempts: short, so that a server started just after us is found soon. */
    static final long RETRY_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID",
        description = "Service id; the default path is <socketRoot>app.<ID>.")
    String id;

    @Option(names = "--path", paramLabel = "PATH", description = "Socket file to connect to (overrides the default path).")
    String path;

    @Option(names = "--emit", arity = "2", paramLabel = "TYPE JSON", hideParamSyntax = true,
        description = "Send an event of TYPE with the JSON payload (repeatable; sent in order), "
            + "e.g. --emit message '{\"a\":1}'.")
    List<String> emits = new ArrayList<>();

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Exit after N received events (default: ${DEFAULT-VALUE}: exit once the emits are written).")
    int count;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
        description = "Fail if connecting and receiving take longer (default: ${DEFAULT-VALUE}).")
    BigDecimal timeout;

    @Mixin
    TransportOptions transport;

    @Option(names = "--insecure",
        description = "With --tls: do not verify the server's certificate or host name (testing only; warns on stderr).")
    boolean insecure;

    @Option(names = "--bind", paramLabel = "PORT",
        description = "With --udp4/--udp6: the local UDP port to send from and receive replies on (default: 0, any).")
    Integer bind;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ProfileOption profile;

    @Override
    public Integer call() {
        Lines lines = Lines.of(spec);
        if (count < 0 || timeout.signum() <= 0) {
            lines.err("jipc connect: " + (count < 0 ? "--count must be 0 or more" : "--timeout must be more than 0"));
            return 2;
        }
        List<String> types = new ArrayList<>();
        List<JsonNode> payloads = new ArrayList<>();
        for (int i = 0; i < emits.size(); i += 2) {
            try {
                payloads.add(EventJson.parse(emits.get(i + 1)));
                types.add(emits.get(i));
            } catch (IllegalArgumentException e) {
                lines.err("jipc connect: --emit " + emits.get(i) + ": invalid JSON '" + emits.get(i + 1) + "': "
                    + Lines.describe(e));
                return 2;
            }
        }
        Transport t;
        IpcConfig config;
        try {
            t = transport.forConnect(insecure, bind, path != null ? "--path" : null);
            if (t.isUnix() && id == null && path == null) {
                throw new IllegalArgumentException("missing ID: give the service ID, or --path PATH");
            }
            config = t.configure(IpcConfig.builder(ProfileOption.of(profile)).retry(RETRY_MILLIS)).build();
        } catch (IllegalArgumentException e) {
            lines.err("jipc connect: " + e.getMessage());
            return 2;
        }
        if (insecure) {
            lines.err("jipc connect: WARNING: --insecure: TLS certificate and host name verification is OFF; "
                + "the server is not authenticated and anyone on the path can read or change this connection");
        }
        Exchange exchange = new Exchange(types, payloads, count, timeout, lines);
        try (Ipc ipc = new Ipc(config)) {
            if (t.isUdp()) {
                return UdpConnect.run(ipc, exchange, t);
            }
            return new StreamConnect(ipc, exchange, t).run(id,
                t.isUnix() ? (path != null ? path : config.localPath(id)) : null);
        }
    }
}
