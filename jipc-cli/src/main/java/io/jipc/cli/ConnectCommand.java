package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.internal.codec.NodeEncodings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jipc connect}: connects to a service (Unix socket, TCP, TLS) or sends datagrams to a UDP
 * endpoint, sends the {@code --emit} events (raw mode: the {@code --emit-hex}/{@code --emit-text}
 * bytes) in order, prints every received event as one JSON line on stdout (raw mode: one
 * {@code {"event":"data","hex":…}} line per data event; with {@code --lifecycle} also the client's
 * lifecycle events, see {@link Lifecycle}), and exits 0 after {@code --count} received events (or right
 * after the emits are written when the count is 0). Exits 1 with one line on stderr when it cannot
 * connect (also when the client gives up: {@code --max-retries}, {@code --stop-retrying}), times out or
 * loses the connection; 2 for an invalid argument or combination of flags. The work is done by
 * {@link StreamConnect} and {@link UdpConnect}.
 */
@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Connect to service ID, send the --emit events in order, print every received event to stdout "
            + "as one JSON line {\"type\":...,\"data\":...}.",
        "Transports: a Unix socket (default: <socketRoot>app.<ID>, or --path), TCP (--tcp HOST:PORT), "
            + "TLS (--tcp with --tls) or UDP (--udp4/--udp6 PORT: datagrams to --host:PORT from --bind; "
            + "ID is optional for all but the default Unix path).",
        "Raw mode (--raw): no framing, no JSON; send bytes with --emit-hex/--emit-text; every data event "
            + "prints as {\"event\":\"data\",\"hex\":\"ff000c41\"} and counts as one event.",
        "--lifecycle adds the client's lifecycle events as JSON lines, in the order the library fires "
            + "them: {\"event\":\"connect\"}, {\"event\":\"disconnect\"} (every close, each failed attempt "
            + "too), {\"event\":\"destroy\"} (no more attempts), {\"event\":\"error\",\"message\":...} "
            + "(refused frames add \"code\":\"ERR_IPC_...\"). UDP: errors only.",
        "Reconnecting: attempts are --retry MS apart, forever unless --max-retries N (then 1 + N attempts "
            + "in a row) or --stop-retrying (one). A drop after connecting ends the run unless --retry, "
            + "--max-retries or --backoff is given: then the client reconnects by those rules.",
        "Exits 0 after --count received events (0: right after the emits are written), 1 on "
            + "timeout or failure (also a failed TLS handshake, or the client giving up), 2 on invalid arguments."})
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

    @Option(names = "--emit-hex", paramLabel = "HEX", parameterConsumer = InOrder.class,
        description = "With --raw: send these bytes, given as hex, e.g. ff000c41 (repeatable; sent in order "
            + "with --emit-text).")
    List<String> emitHex;

    @Option(names = "--emit-text", paramLabel = "TEXT", parameterConsumer = InOrder.class,
        description = "With --raw: send TEXT as bytes in --encoding (node-ipc's raw emit of a string; "
            + "repeatable; sent in order with --emit-hex).")
    List<String> emitText;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "Exit after N received events (default: ${DEFAULT-VALUE}: exit once the emits are written).")
    int count;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
        description = "Fail if connecting and receiving take longer (default: ${DEFAULT-VALUE}).")
    BigDecimal timeout;

    @Option(names = "--retry", paramLabel = "MS",
        description = "Wait MS milliseconds before each new attempt (default: " + RETRY_MILLIS + "; node-ipc's retry).")
    Long retry;

    @Option(names = "--max-retries", paramLabel = "N",
        description = "Give up (exit 1) after 1 + N failed attempts in a row (default: no limit; node-ipc's maxRetries).")
    Integer maxRetries;

    @Option(names = "--stop-retrying",
        description = "One attempt only, no reconnecting (node-ipc's stopRetrying).")
    boolean stopRetrying;

    @Option(names = "--backoff",
        description = "Double the delay after each failed attempt, from --retry up to 30 s, with jitter.")
    boolean backoff;

    @Option(names = "--sync",
        description = "One emit in flight at a time: the next is sent when the server sends anything (node-ipc's sync).")
    boolean sync;

    @Mixin
    ModeOptions mode;

    @Option(names = "--encoding", paramLabel = "ENC",
        description = "With --raw: how --emit-text becomes bytes: utf8 (default), ascii, latin1, binary, "
            + "utf16le, ucs2, base64 or hex (node-ipc's encoding).")
    String encoding;

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

    /** {@code --emit-hex} and {@code --emit-text} in command-line order: {flag, argument}. */
    final List<String[]> rawEmits = new ArrayList<>();

    /** Records {@code --emit-hex} and {@code --emit-text} arguments in the order they are given. */
    static final class InOrder implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String flag = ((OptionSpec) argSpec).longestName();
            if (args.isEmpty()) {
                throw new MissingParameterException(commandSpec.commandLine(), argSpec,
                    "Missing required parameter for option '" + flag + "' (" + argSpec.paramLabel() + ")");
            }
            ((ConnectCommand) commandSpec.userObject()).rawEmits.add(new String[] {flag, args.pop()});
        }
    }

    @Override
    public Integer call() {
        Lines lines = Lines.of(spec);
        if (count < 0 || timeout.signum() <= 0) {
            lines.err("jipc connect: " + (count < 0 ? "--count must be 0 or more" : "--timeout must be more than 0"));
            return 2;
        }
        List<Exchange.Emit> sends = new ArrayList<>();
        for (int i = 0; i < emits.size(); i += 2) {
            try {
                sends.add(Exchange.Emit.event(emits.get(i), EventJson.parse(emits.get(i + 1))));
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
            IpcConfig.Builder b = options(IpcConfig.builder(ProfileOption.of(profile)), t);
            try {
                config = t.configure(b).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ModeOptions.flagNames(e.getMessage()), e);
            }
            for (String[] raw : rawEmits) {
                sends.add(Exchange.Emit.raw(raw[0] + " " + raw[1], raw[0].equals("--emit-hex")
                    ? hex(raw[1]) : NodeEncodings.encode(raw[1], config.encoding())));
            }
        } catch (IllegalArgumentException e) {
            lines.err("jipc connect: " + e.getMessage());
            return 2;
        }
        if (insecure) {
            lines.err("jipc connect: WARNING: --insecure: TLS certificate and host name verification is OFF; "
                + "the server is not authenticated and anyone on the path can read or change this connection");
        }
        Exchange exchange = new Exchange(sends, count, timeout, lines);
        Lifecycle lifecycle = new Lifecycle(lines, mode.lifecycle);
        try (Ipc ipc = new Ipc(config)) {
            if (t.isUdp()) {
                return UdpConnect.run(ipc, exchange, t, lifecycle);
            }
            boolean reconnect = retry != null || maxRetries != null || backoff;
            return new StreamConnect(ipc, exchange, t, lifecycle, reconnect).run(id,
                t.isUnix() ? (path != null ? path : config.localPath(id)) : null);
        }
    }

    /**
     * {@code b} with the reconnect, sync and message-mode flags set.
     * @throws IllegalArgumentException for an invalid value or combination, naming the flags
     */
    private IpcConfig.Builder options(IpcConfig.Builder b, Transport t) {
        if (retry != null && retry < 0) {
            throw new IllegalArgumentException("--retry must be 0 or more (milliseconds) but was " + retry);
        }
        if (maxRetries != null && maxRetries < 0) {
            throw new IllegalArgumentException("--max-retries must be 0 or more but was " + maxRetries);
        }
        String retrying = retry != null ? "--retry" : maxRetries != null ? "--max-retries" : backoff ? "--backoff" : null;
        if (stopRetrying && retrying != null) {
            throw new IllegalArgumentException("--stop-retrying makes one attempt only: it cannot be combined with " + retrying);
        }
        if (t.isUdp()) {
            String streamOnly = retrying != null ? retrying : stopRetrying ? "--stop-retrying" : sync ? "--sync" : null;
            if (streamOnly != null) {
                throw new IllegalArgumentException(streamOnly + " is for stream connections (Unix socket, TCP, TLS): "
                    + "it cannot be combined with --" + t.protocol());
            }
        }
        if (mode.raw && !emits.isEmpty()) {
            throw new IllegalArgumentException("--emit sends framed JSON events: with --raw, send bytes with "
                + "--emit-hex HEX or --emit-text TEXT");
        }
        if (!mode.raw && !rawEmits.isEmpty()) {
            throw new IllegalArgumentException(rawEmits.get(0)[0] + " sends raw bytes: it requires --raw");
        }
        if (!mode.raw && encoding != null) {
            throw new IllegalArgumentException("--encoding is for raw mode (framed messages are always UTF-8): "
                + "it requires --raw");
        }
        for (String[] raw : rawEmits) {
            if (raw[0].equals("--emit-hex")) {
                hex(raw[1]);
            }
        }
        mode.configure(b);
        b.retry(retry != null ? retry : RETRY_MILLIS).stopRetrying(stopRetrying).backoff(backoff).sync(sync);
        if (maxRetries != null) {
            b.maxRetries(maxRetries);
        }
        if (encoding != null) {
            b.encoding(encoding);
        }
        return b;
    }

    /** The bytes of an {@code --emit-hex} argument. @throws IllegalArgumentException naming the flag */
    static byte[] hex(String text) {
        if (text.isEmpty() || text.length() % 2 != 0 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("--emit-hex expects bytes as pairs of hex digits, e.g. ff000c41, but got '"
                + text + "'");
        }
        return HexFormat.of().parseHex(text);
    }
}
