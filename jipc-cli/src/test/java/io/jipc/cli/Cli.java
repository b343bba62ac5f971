package io.jipc.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the {@code jipc} command in-process with captured stdout/stderr. */
final class Cli {
    private Cli() {
    }

    /** Result of a finished run. */
    record Result(int exitCode, List<String> out, List<String> err) {
    }

    /** A run in progress on its own thread. */
    static final class Running {
        final LineSink out = new LineSink();
        final LineSink err = new LineSink();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Thread thread;

        Running(String... args) {
            thread = new Thread(() -> exit.complete(execute(out, err, args)), "jipc " + String.join(" ", args));
            thread.setDaemon(true);
            thread.start();
        }

        /** Interrupts the run (what a signal does to a real process) and returns its exit code. */
        int stop() throws Exception {
            thread.interrupt();
            return exit.get(20, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code jipc args…} to completion. */
    static Result run(String... args) {
        LineSink out = new LineSink();
        LineSink err = new LineSink();
        int code = execute(out, err, args);
        return new Result(code, out.lines(), err.lines());
    }

    /** Starts {@code jipc args…} on a new thread. */
    static Running start(String... args) {
        return new Running(args);
    }

    private static int execute(LineSink out, LineSink err, String... args) {
        return JipcCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }
}
