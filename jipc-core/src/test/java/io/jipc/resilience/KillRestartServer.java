package io.jipc.resilience;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child-JVM server of {@link KillRestartTest}: serves a Unix socket and appends the {@code seq} of every
 * {@code seq} message it receives to a log file, one {@code write(2)} per message (no user-space
 * buffer, so what was written survives a SIGKILL). {@code mark} and {@code fin} messages carry a seq
 * too: it is logged the same way, then {@code MARK n} / {@code FIN n} is printed. Prints {@code UP} once listening. Exits on {@code EXIT} or the end of stdin.
 *
 * <p>Arguments: {@code <socket path> <log file>}.
 */
public final class KillRestartServer {
    private KillRestartServer() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        FileOutputStream log = new FileOutputStream(args[1], true);
        Ipc ipc = new Ipc(IpcConfig.builder().id("kill-restart-server").silent(true)
            .socketRoot(socket.getParent() + "/").build());
        ipc.serve(socket.toString())
            .on("seq", (data, s) -> append(log, data.asInt()))
            .on("mark", (data, s) -> {
                append(log, data.asInt());
                say("MARK " + data.asInt());
            })
            .on("fin", (data, s) -> {
                append(log, data.asInt());
                say("FIN " + data.asInt());
            })
            .onConnect(s -> say("CONNECT"))
            .start();
        say("UP");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("EXIT"); line = in.readLine()) {
            // only EXIT or the end of stdin stop the server
        }
        ipc.close();
        log.close();
        say("EXITED");
        System.exit(0);
    }

    private static void append(FileOutputStream log, int seq) {
        try {
            log.write((seq + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
