package io.jipc.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
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

    /**
     * One line describing {@code t}: its message, or its class name when it has none. Wrappers whose
     * message is just their cause ({@code "javax.net.ssl.SSLException: …"}) are looked through, and a
     * part of a {@code ": "}-joined cause chain that repeats an earlier part is left out.
     */
    static String describe(Throwable t) {
        while (t.getCause() != null && t.getCause() != t && t.getCause().toString().equals(t.getMessage())) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        Set<String> parts = new LinkedHashSet<>(Arrays.asList(m.replace('\n', ' ').split(": ")));
        return String.join(": ", parts);
    }
}
