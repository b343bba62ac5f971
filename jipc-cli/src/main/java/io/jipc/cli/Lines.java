package io.jipc.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Thread-safe line output of one command: event lines to stdout, diagnostics to stderr. Each line is
 * written whole and flushed at once, so lines from I/O threads never interleave and a reader of a
 * pipe sees every line as soon as it is printed.
 */
final class Lines {
    private final PrintWriter out;
    private final PrintWriter err;

    Lines(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** The output of the command {@code spec} runs in (picocli's out/err writers). */
    static Lines of(CommandSpec spec) {
        return new Lines(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Prints one line to stdout and flushes. */
    void out(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Prints one line to stderr and flushes. */
    void err(String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    /** One line describing {@code t}: its message, or its class name when it has none. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
