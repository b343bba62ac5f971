package io.jipc.resilience;

import io.jipc.Ipc;
import io.jipc.IpcConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Child-JVM side of {@link LoadTest}: opens {@code clients} jipc clients to one Unix socket, spread
 * over {@code instances} {@link Ipc} instances, so that the test JVM holds only the server's side of
 * every connection (and its heap can be measured per connection).
 *
 * <p>Arguments: {@code <socket path> <clients> <instances>}. Protocol on stdout: {@code CONNECTED n}
 * once every client has connected (each counted once), {@code RECEIVED n DUPLICATES d} once every
 * client has received one {@code news} broadcast, {@code CLOSED} after {@code EXIT} on stdin closed
 * every client; {@code ERROR …} on trouble. Exits when stdin ends.
 */
public final class LoadClients {
    private LoadClients() {
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int n = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        long maxFds = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
        say("FDLIMIT " + maxFds);
        AtomicIntegerArray connects = new AtomicIntegerArray(n);
        AtomicIntegerArray news = new AtomicIntegerArray(n);
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger drops = new AtomicInteger();
        List<Ipc> instances = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            instances.add(new Ipc(IpcConfig.builder().id("load-client-" + i).silent(true).retry(50)
                .socketRoot(System.getProperty("java.io.tmpdir") + "/").build()));
        }
        for (int c = 0; c < n; c++) {
            int id = c;
            Ipc ipc = instances.get(c % k);
            ipc.connectTo("c" + c, path, client -> client
                .onConnect(() -> {
                    if (connects.incrementAndGet(id) == 1 && connected.incrementAndGet() == n) {
                        say("CONNECTED " + n);
                    } else if (connects.get(id) > 1) {
                        drops.incrementAndGet();
                        say("RECONNECTED c" + id);
                    }
                })
                .on("news", data -> {
                    if (news.incrementAndGet(id) == 1) {
                        if (received.incrementAndGet() == n) {
                            say("RECEIVED " + n + " DUPLICATES " + duplicates.get());
                        }
                    } else {
                        duplicates.incrementAndGet();
                        say("DUPLICATE c" + id);
                    }
                }));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("EXIT")) {
                break;
            }
            if (line.equals("STATUS")) {
                say("STATUS connected=" + connected.get() + " received=" + received.get() + " reconnects=" + drops.get());
            }
        }
        for (Ipc ipc : instances) {
            ipc.close();
        }
        say("CLOSED");
        System.exit(0);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
