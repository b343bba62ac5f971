package io.jipc.cli;

import io.jipc.IpcProtocolException;
import io.jipc.IpcSocket;
import java.io.FileNotFoundException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code --lifecycle} and raw-mode output lines of one {@code serve} or {@code connect} run: one
 * compact JSON object per line on stdout, {@code "event"} first (event lines of framed messages have
 * {@code "type"} instead, so the two kinds never look alike):
 *
 * <pre>
 * {"event":"start"}                                   serve, once listening
 * {"event":"connect"}                                 connect: connected
 * {"event":"connect","socket":1}                      serve: a client connected
 * {"event":"disconnect"}                              connect: every close, each failed attempt too
 * {"event":"destroy"}                                 connect: no more attempts will be made
 * {"event":"socket.disconnected","socket":1,"id":null} serve: a client left (id: the one it announced)
 * {"event":"error","message":"..."}                   any error ("socket":N added on serve when known)
 * {"event":"error","code":"ERR_IPC_FRAME_TOO_LARGE","message":"..."}  a refused frame (code: node-ipc 14's)
 * {"event":"data","hex":"ff000c41"}                   raw mode: the bytes of one data event (serve: "socket":N too)
 * </pre>
 *
 * Lines are printed from the I/O threads as the library fires the events, so their order is the
 * library's. {@code "socket"} numbers are this run's own, 1 for the first client seen, and so on.
 * Data lines are printed whether or not {@code --lifecycle} is on: in raw mode they are what arrives.
 * Thread-safe.
 */
final class Lifecycle {
    private static final HexFormat HEX = HexFormat.of();

    private final Lines lines;
    private final boolean on;
    private final Map<IpcSocket, Integer> numbers = Collections.synchronizedMap(new WeakHashMap<>());
    private final AtomicInteger next = new AtomicInteger();

    /** @param on whether {@code --lifecycle} was given (data lines are printed either way) */
    Lifecycle(Lines lines, boolean on) {
        this.lines = lines;
        this.on = on;
    }

    /** @return whether lifecycle lines are printed ({@code --lifecycle}) */
    boolean on() {
        return on;
    }

    /** {@code {"event":name}} (with {@code --lifecycle}). */
    void event(String name) {
        if (on) {
            lines.out(EventJson.line(start(name, null)));
        }
    }

    /** {@code {"event":name,"socket":N}} (with {@code --lifecycle}). */
    void event(String name, IpcSocket socket) {
        if (on) {
            lines.out(EventJson.line(start(name, socket)));
        }
    }

    /** {@code {"event":"socket.disconnected","socket":N,"id":id}} (with {@code --lifecycle}). */
    void socketDisconnected(IpcSocket socket, String id) {
        if (on) {
            ObjectNode o = start("socket.disconnected", socket);
            o.put("id", id);
            lines.out(EventJson.line(o));
        }
    }

    /**
     * {@code {"event":"error",["socket":N,]["code":CODE,]"message":…}} (with {@code --lifecycle}).
     * @param socket the server connection concerned, or null (client side, or the server itself)
     */
    void error(Throwable error, IpcSocket socket) {
        if (on) {
            ObjectNode o = start("error", socket);
            if (error instanceof IpcProtocolException p) {
                o.put("code", p.code().name());
            }
            o.put("message", message(error));
            lines.out(EventJson.line(o));
        }
    }

    /** {@code {"event":"data",["socket":N,]"hex":…}}, printed whatever {@code --lifecycle} says. */
    void data(byte[] bytes, IpcSocket socket) {
        lines.out(dataLine(bytes, socket));
    }

    /** The data line for {@code bytes} (client side when {@code socket} is null). */
    String dataLine(byte[] bytes, IpcSocket socket) {
        ObjectNode o = start("data", socket);
        o.put("hex", HEX.formatHex(bytes));
        return EventJson.line(o);
    }

    /**
     * What went wrong, in one line: a protocol error without its {@code ERR_IPC_…: } prefix (the code
     * has its own member), a missing socket file (which the transport reports without a message) as
     * {@code no such socket file}, else {@link Lines#describe}.
     */
    static String message(Throwable error) {
        if (error instanceof FileNotFoundException && error.getMessage() == null) {
            return "no such socket file";
        }
        String m = Lines.describe(error);
        if (error instanceof IpcProtocolException p && m.startsWith(p.code().name() + ": ")) {
            return m.substring(p.code().name().length() + 2);
        }
        return m;
    }

    /** This run's number for {@code socket}: 1 for the first one seen. */
    int number(IpcSocket socket) {
        return numbers.computeIfAbsent(socket, s -> next.incrementAndGet());
    }

    private ObjectNode start(String name, IpcSocket socket) {
        ObjectNode o = EventJson.object();
        o.put("event", name);
        if (socket != null) {
            o.put("socket", number(socket));
        }
        return o;
    }
}
