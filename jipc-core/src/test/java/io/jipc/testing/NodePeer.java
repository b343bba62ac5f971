package io.jipc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.jipc.testing.NodePeers.Lib;
import io.jipc.testing.NodePeers.Transport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A node-ipc peer process ({@code node interop/peer.js}) driven through JSON lines.
 *
 * <p>Events (one JSON object per stdout line, see {@code interop/README.md}) are read on a daemon
 * thread into a queue. Consumption is by matching: {@link #next(Duration)} takes the oldest
 * unconsumed event; {@link #awaitEvent(String, Duration)} takes the oldest unconsumed event with
 * that name and leaves the events it passes over in a backlog, so that a later {@code next} /
 * {@code awaitEvent} / {@code awaitMessages} still sees them, in their original order. Nothing is
 * lost; {@link #history()} has every event ever received.
 *
 * <p>Every waiting method fails with an {@link AssertionError} that includes the peer's command
 * line, the recent events and the tail of its stderr when the timeout passes or the peer exits.
 * {@link #close()} asks the peer to exit, then kills it; it is idempotent.
 */
public final class NodePeer implements AutoCloseable {

    /** Shared mapper (Jackson 3, thread-safe). */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int STDERR_KEEP = 64 * 1024;
    private static final int HISTORY_KEEP = 100_000;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final Lib lib;
    private final String endpoint;
    private final List<String> command;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
    private final Deque<JsonNode> backlog = new ArrayDeque<>(); // skipped, not yet consumed (test thread only)
    private final List<JsonNode> history = Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private volatile boolean eof;
    private boolean closed;

    private static final JsonNode EOF = JSON.createObjectNode().put("event", "<eof>");

    private NodePeer(Lib lib, String endpoint, List<String> command) {
        this.lib = lib;
        this.endpoint = endpoint;
        this.command = List.copyOf(command);
        ProcessBuilder pb = new ProcessBuilder(this.command);
        pb.directory(NodePeers.repoRoot().toFile());
        pb.environment().put("JIPC_PEERS_DIR", NodePeers.installDir().toString());
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + String.join(" ", this.command) + ": " + e, e);
        }
        this.stdin = process.getOutputStream();
        this.stdoutReader = new Thread(this::readStdout, "node-peer-stdout-" + process.pid());
        this.stdoutReader.setDaemon(true);
        this.stdoutReader.start();
        this.stderrReader = new Thread(this::readStderr, "node-peer-stderr-" + process.pid());
        this.stderrReader.setDaemon(true);
        this.stderrReader.start();
    }

    // ------------------------------------------------------------------------------------------
    // factories

    /**
     * Starts a node-ipc server peer. {@code pathOrHostPort} is the absolute socket path for
     * {@link Transport#UNIX}, or {@code host:port} for {@link Transport#TCP} (port must be a real,
     * free port: node-ipc cannot listen on port 0). Extra args are appended ({@code --echo},
     * {@code --raw}, {@code --max-seconds=N}, ...); later args override earlier ones.
     */
    public static NodePeer server(Lib lib, Transport transport, String pathOrHostPort, String... extraArgs) {
        return start(lib, "server", transport, pathOrHostPort, extraArgs);
    }

    /** Starts a node-ipc client peer connecting to a server at {@code pathOrHostPort}; see {@link #server}. */
    public static NodePeer client(Lib lib, Transport transport, String pathOrHostPort, String... extraArgs) {
        return start(lib, "client", transport, pathOrHostPort, extraArgs);
    }

    private static NodePeer start(Lib lib, String role, Transport transport, String pathOrHostPort,
            String... extraArgs) {
        Objects.requireNonNull(lib, "lib");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(pathOrHostPort, "pathOrHostPort");
        Path peersDir = NodePeers.installDir(); // aborts/fails here if node is unavailable
        List<String> cmd = new ArrayList<>();
        cmd.add(NodePeers.nodeExecutable());
        cmd.add(NodePeers.peerScript().toString());
        cmd.add("--lib=" + lib.arg());
        cmd.add("--role=" + role);
        cmd.add("--transport=" + transport.arg());
        if (transport == Transport.UNIX) {
            cmd.add("--path=" + pathOrHostPort);
        } else {
            int colon = pathOrHostPort.lastIndexOf(':');
            if (colon <= 0 || colon == pathOrHostPort.length() - 1) {
                throw new IllegalArgumentException("expected host:port, got " + pathOrHostPort);
            }
            String host = pathOrHostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            cmd.add("--host=" + host);
            cmd.add("--port=" + pathOrHostPort.substring(colon + 1));
        }
        cmd.add("--peers-dir=" + peersDir);
        cmd.addAll(List.of(extraArgs));
        return new NodePeer(lib, pathOrHostPort, cmd);
    }

    // ------------------------------------------------------------------------------------------
    // events

    /** The next unconsumed event, in arrival order. */
    public JsonNode next(Duration timeout) {
        if (!backlog.isEmpty()) {
            return backlog.pollFirst();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode ev = poll(deadline);
        if (ev == null) {
            throw failure("no event within " + timeout, null);
        }
        return ev;
    }

    /**
     * The oldest unconsumed event named {@code event}; events passed over stay in the backlog
     * for later calls. Fails on timeout or when the peer exits first.
     */
    public JsonNode awaitEvent(String event, Duration timeout) {
        return awaitEvent(event, e -> true, timeout);
    }

    /** Like {@link #awaitEvent(String, Duration)}, additionally requiring {@code filter} to match. */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> filter, Duration timeout) {
        return awaitMatching(e -> event.equals(e.path("event").asString("")) && filter.test(e), timeout,
                "event '" + event + "'");
    }

    /**
     * Sends a command and waits for its {@code {"event":"done","cmd":C}}. Fails if the peer
     * reports an error for it.
     */
    public JsonNode command(Object command, Duration timeout) {
        JsonNode cmd = command instanceof JsonNode n ? n
                : command instanceof String s ? JSON.readTree(s) : JSON.valueToTree(command);
        String name = cmd.path("cmd").asString("");
        send(cmd);
        JsonNode done = awaitEvent("done", e -> name.equals(e.path("cmd").asString(null)), timeout);
        if (done.has("error")) {
            throw failure("command " + cmd + " failed: " + done.path("error").asString(""), null);
        }
        return done;
    }

    /** Convenience: {@code {"cmd":"ping"}} twice; afterwards the peer has handled all I/O that was pending before. */
    public void barrier(Duration timeout) {
        command(JSON.createObjectNode().put("cmd", "ping"), timeout);
        command(JSON.createObjectNode().put("cmd", "ping"), timeout);
    }

    /** The next {@code n} unconsumed {@code message} events, in order (other events stay in the backlog). */
    public List<JsonNode> awaitMessages(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> out = new ArrayList<>(n);
        while (out.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw failure("got " + out.size() + " of " + n + " messages within " + timeout, null);
            }
            try {
                out.add(awaitEvent("message", Duration.ofNanos(left)));
            } catch (AssertionError e) {
                throw failure("got " + out.size() + " of " + n + " messages within " + timeout, e);
            }
        }
        return out;
    }

    private JsonNode awaitMatching(Predicate<JsonNode> match, Duration timeout, String what) {
        for (Iterator<JsonNode> it = backlog.iterator(); it.hasNext();) {
            JsonNode e = it.next();
            if (match.test(e)) {
                it.remove();
                return e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode ev = poll(deadline);
            if (ev == null) {
                throw failure("no " + what + " within " + timeout, null);
            }
            if (match.test(ev)) {
                return ev;
            }
            backlog.addLast(ev);
        }
    }

    /** Null on timeout; fails when the peer's stdout ended and nothing is left. */
    private JsonNode poll(long deadlineNanos) {
        while (true) {
            JsonNode ev = queue.poll();
            if (ev == null) {
                if (eof) {
                    ev = queue.poll();
                    if (ev == null || ev == EOF) {
                        throw failure("peer exited" + exitInfo(), null);
                    }
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    try {
                        ev = queue.poll(left, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw failure("interrupted", e);
                    }
                    if (ev == null) {
                        return null;
                    }
                }
            }
            if (ev == EOF) {
                continue; // eof flag is set; loop drains what is left, then fails
            }
            return ev;
        }
    }

    /** Every event received so far (including consumed ones), in order. */
    public List<JsonNode> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** What the peer wrote to stderr so far (the last 64 KiB). */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    public Lib lib() {
        return lib;
    }

    /** The socket path or {@code host:port} the peer was started with. */
    public String endpoint() {
        return endpoint;
    }

    public List<String> commandLine() {
        return command;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    // ------------------------------------------------------------------------------------------
    // commands

    /**
     * Writes one command line. {@code command} is a {@link JsonNode}, a {@link String} holding one
     * JSON object, or anything Jackson can serialise (e.g. a {@code Map}).
     */
    public void send(Object command) {
        String line;
        if (command instanceof String s) {
            line = s;
        } else {
            line = JSON.writeValueAsString(command);
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("command must be a single line: " + line);
        }
        try {
            synchronized (stdin) {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw failure("cannot send " + abbreviate(line, 200) + ": " + e, e);
        }
    }

    /** Builds {@code {"cmd":"emit","type":type,"data":data}} (data converted by Jackson). */
    public static ObjectNode emit(String type, Object data) {
        ObjectNode n = JSON.createObjectNode().put("cmd", "emit").put("type", type);
        n.set("data", JSON.valueToTree(data));
        return n;
    }

    /** Builds {@code {"cmd":"emit","type":type,"special":special}} (special: undefined, NaN, -0, null). */
    public static ObjectNode emitSpecial(String type, String special) {
        return JSON.createObjectNode().put("cmd", "emit").put("type", type).put("special", special);
    }

    // ------------------------------------------------------------------------------------------
    // lifecycle

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                try {
                    synchronized (stdin) {
                        stdin.write("{\"cmd\":\"exit\"}\n".getBytes(StandardCharsets.UTF_8));
                        stdin.flush();
                    }
                } catch (IOException ignored) {
                    // already gone
                }
            }
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
            stdoutReader.join(2000);
            stderrReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------------------------------
    // plumbing

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode ev;
                try {
                    ev = JSON.readTree(line);
                    if (!ev.isObject() || !ev.has("event")) {
                        ev = JSON.createObjectNode().put("event", "unparsed").put("line", line);
                    }
                } catch (RuntimeException e) {
                    ev = JSON.createObjectNode().put("event", "unparsed").put("line", line);
                }
                synchronized (history) {
                    if (history.size() < HISTORY_KEEP) {
                        history.add(ev);
                    }
                }
                queue.add(ev);
            }
        } catch (IOException ignored) {
            // stream closed
        } finally {
            eof = true;
            queue.add(EOF);
        }
    }

    private void readStderr() {
        char[] buf = new char[4096];
        try (Reader r = new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
                synchronized (stderr) {
                    stderr.append(buf, 0, n);
                    if (stderr.length() > STDERR_KEEP) {
                        stderr.delete(0, stderr.length() - STDERR_KEEP);
                    }
                }
            }
        } catch (IOException ignored) {
            // stream closed
        }
    }

    private String exitInfo() {
        try {
            if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
                return " (exit code " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return " (stdout closed, process still running)";
    }

    private AssertionError failure(String what, Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append("node peer [").append(lib).append(", pid ").append(process.pid()).append("]: ").append(what);
        sb.append("\n  command: ").append(String.join(" ", command));
        List<JsonNode> h = history();
        int from = Math.max(0, h.size() - 15);
        sb.append("\n  last events (").append(h.size()).append(" total):");
        for (JsonNode e : h.subList(from, h.size())) {
            sb.append("\n    ").append(abbreviate(e.toString(), 300));
        }
        if (!backlog.isEmpty()) {
            sb.append("\n  unconsumed backlog: ").append(backlog.size()).append(" events");
        }
        String err = stderr();
        sb.append("\n  stderr tail:\n").append(err.isEmpty() ? "    (empty)" : NodePeers.tail(err, 4000));
        AssertionError ae = new AssertionError(sb.toString());
        if (cause != null) {
            ae.initCause(cause);
        }
        return ae;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }

    @Override
    public String toString() {
        return "NodePeer[" + lib + ", pid " + process.pid() + "]";
    }
}
