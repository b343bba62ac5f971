package io.jipc.cli;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import io.jipc.IpcServer;
import io.jipc.IpcSocket;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code jipc serve}: a Unix-socket server that prints every received event as one JSON line on
 * stdout and, with {@code --echo}, sends it back to its sender. Prints {@code listening on <path>}
 * to stderr once listening; runs until SIGINT/SIGTERM (a shutdown hook closes the instance, which
 * removes the socket file) or until the running thread is interrupted (in-process use).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
        "Serve on a Unix socket; print every received event to stdout as one JSON line "
            + "{\"type\":...,\"data\":...}.",
        "Prints 'listening on <path>' to stderr when ready, errors (e.g. refused frames) to stderr. "
            + "Runs until SIGINT/SIGTERM."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID",
        description = "Service id; the default path is <socketRoot>app.<ID>. Default: the host name.")
    String id;

    @Option(names = "--path", paramLabel = "PATH", description = "Socket file to listen on (overrides the default path).")
    String path;

    @Option(names = "--echo", description = "Send each event back to its sender with the same type and data.")
    boolean echo;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ProfileOption profile;

    @Override
    public Integer call() {
        Lines lines = Lines.of(spec);
        IpcConfig config;
        try {
            config = IpcConfig.builder(ProfileOption.of(profile)).id(id).build();
        } catch (IllegalArgumentException e) {
            lines.err("jipc serve: " + e.getMessage());
            return 2;
        }
        String where = path != null ? path : config.localPath(config.id());
        Ipc ipc = new Ipc(config);
        IpcServer server;
        try {
            server = path != null ? ipc.serve(path) : ipc.serve();
            server.onAny((type, data, socket) -> received(lines, type, data, socket));
            server.onError((error, socket) -> lines.err("error" + (socket == null ? "" : " on " + socket)
                + ": " + Lines.describe(error)));
            server.start();
        } catch (RuntimeException e) {
            ipc.close();
            String why = Lines.describe(e);
            lines.err("jipc serve: " + (why.startsWith("cannot listen on") ? why : "cannot listen on " + where + ": " + why));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            ipc.close();
            stopped.countDown();
        }, "jipc-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        lines.err("listening on " + server.path());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
            ipc.close();
        }
        return 0;
    }

    private void received(Lines lines, String type, JsonNode data, IpcSocket socket) {
        lines.out(EventJson.event(type, data));
        if (echo) {
            socket.emit(type, data).whenComplete((ok, failure) -> {
                if (failure != null) {
                    lines.err("error on " + socket + ": echo of \"" + type + "\" failed: " + Lines.describe(failure));
                }
            });
        }
    }
}
