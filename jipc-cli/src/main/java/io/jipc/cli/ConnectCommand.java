package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.IpcProtocolException;
import java.io.FileNotFoundException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code jipc connect}: connects to a service, sends the {@code --emit} events in order, prints every
 * received event as one JSON line on stdout, and exits 0 after {@code --count} received events (or
 * right after the emits are written when the count is 0). Exits 1 with one line on stderr when it
 * cannot connect, times out or loses the connection; 2 for an invalid argument.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = {
        "Connect to service ID, send the --emit events in order, print every received event to stdout "
            + "as one JSON line {\"type\":...,\"data\":...}.",
        "Exits 0 after --count received events (0: right after the emits are written), 1 on "
            + "timeout or failure, 2 on invalid arguments."})
final class ConnectCommand implements Callable<Integer> {
    /** Delay between connection attempts: short, so that a server started just after us is found soon. */
    static final long RETRY_MILLIS = 200;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Service id; the default path is <socketRoot>app.<ID>.")
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

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ProfileOption profile;

    @Override
    public Integer call() {
        Lines lines = Lines.of(spec);
        if (count < 0 || timeout.signum() <= 0) {
            lines.err("jipc connect: " + (count < 0 ? "--count must be 0 or more" : "--timeout must be more than 0"));
            return 2;
        }
        List<JsonNode> payloads = new ArrayList<>();
        for (int i = 0; i < emits.size(); i += 2) {
            try {
                payloads.add(EventJson.parse(emits.get(i + 1)));
            } catch (IllegalArgumentException e) {
                lines.err("jipc connect: --emit " + emits.get(i) + ": invalid JSON '" + emits.get(i + 1) + "': "
                    + Lines.describe(e));
                return 2;
            }
        }
        IpcConfig config;
        try {
            config = IpcConfig.builder(ProfileOption.of(profile)).retry(RETRY_MILLIS).build();
        } catch (IllegalArgumentException e) {
            lines.err("jipc connect: " + e.getMessage());
            return 2;
        }
        long deadline = System.nanoTime() + timeout.movePointRight(9).longValue();
        try (Ipc ipc = new Ipc(config)) {
            return run(ipc, payloads, deadline, lines);
        }
    }

    private int run(Ipc ipc, List<JsonNode> payloads, long deadline, Lines lines) {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch received = new CountDownLatch(count);
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<Throwable> lastError = new AtomicReference<>();
        AtomicBoolean lost = new AtomicBoolean();
        Consumer<IpcClient> setup = client -> client
            .onAny((type, data) -> {
                if (count == 0 || seen.incrementAndGet() <= count) {
                    lines.out(EventJson.event(type, data));
                    received.countDown();
                }
            })
            .onConnect(connected::countDown)
            .onError(error -> {
                lastError.set(error);
                if (error instanceof IpcProtocolException) {
                    lines.err("error: " + Lines.describe(error));
                }
            })
            .onDisconnect(() -> {
                if (connected.getCount() == 0 && lost.compareAndSet(false, true)) {
                    ipc.stopRetrying(true);
                    while (received.getCount() > 0) {
                        received.countDown(); // wake the waiting thread; `lost` says why
                    }
                }
            });
        IpcClient client;
        try {
            client = ipc.connectTo(id, path != null ? path : ipc.config().localPath(id), setup);
        } catch (IllegalArgumentException e) {
            lines.err("jipc connect: " + Lines.describe(e));
            return 2;
        }
        String target = client.path().toString();
        if (!await(connected, deadline)) {
            Throwable last = lastError.get();
            lines.err("jipc connect: could not connect to " + target + " within " + seconds() + " s"
                + (last == null ? "" : " (" + reason(last) + ")"));
            return 1;
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            writes.add(client.emit(emits.get(2 * i), payloads.get(i)).toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            lines.err("jipc connect: sending to " + target + " failed: " + Lines.describe(e.getCause()));
            return 1;
        } catch (TimeoutException e) {
            lines.err("jipc connect: timed out after " + seconds() + " s sending to " + target);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        boolean done = await(received, deadline);
        int got = Math.min(seen.get(), count);
        if (lost.get() && got < count) {
            lines.err("jipc connect: connection to " + target + " closed after " + got + " of " + count + " events");
            return 1;
        }
        if (!done) {
            lines.err("jipc connect: timed out after " + seconds() + " s waiting for events from " + target
                + ": received " + got + " of " + count);
            return 1;
        }
        return 0;
    }

    /** Why an attempt failed; the transport reports a missing socket file without a message. */
    private static String reason(Throwable error) {
        return error instanceof FileNotFoundException && error.getMessage() == null
            ? "no such socket file" : Lines.describe(error);
    }

    private static boolean await(CountDownLatch latch, long deadline) {
        try {
            return latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String seconds() {
        return timeout.stripTrailingZeros().toPlainString();
    }
}
