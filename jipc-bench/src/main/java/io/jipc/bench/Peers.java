package io.jipc.bench;

import io.jipc.Ipc;
import io.jipc.IpcClient;
import io.jipc.IpcConfig;
import io.jipc.TlsOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/** What both peers share: configuration per transport, the message shape, process statistics. */
final class Peers {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Peers() {
    }

    /** The payload {@code {seq, pad}}, as bench.js's {@code msg(seq)}. */
    record Msg(int seq, String pad) {
    }

    /** pad such that {@code {"type":"message","data":{"seq":NNNNNN,"pad":"…"}}\f} is {@code size} bytes. */
    static String pad(int size) {
        return "x".repeat(Math.max(0, size - 50));
    }

    /** @return the exact frame bench.js sizes its messages by (seq 123456), delimiter included */
    static byte[] frame(int size) {
        String s = "{\"type\":\"message\",\"data\":{\"seq\":123456,\"pad\":\"" + pad(size) + "\"}}\f";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static IpcConfig.Builder config(Opts o, String id, boolean server) {
        IpcConfig.Builder b = IpcConfig.builder().id(id).silent(!o.flag("verbose"))
            .rawBuffer(o.flag("raw")).maxConnections(5000).busyPollMicros(o.i("busy-poll", 0))
            .maxRetries(2).retry(200);
        if (o.str("transport", "unix").equals("tls")) {
            String certs = o.str("certs", "/tmp/nodeipc-lab/certs");
            TlsOptions.Builder t = TlsOptions.builder();
            if (server) {
                t.privateKey(certs + "/server.key").publicCert(certs + "/server.pub");
            } else {
                t.trustedConnections(certs + "/server.pub").rejectUnauthorized(true);
            }
            b.tls(t.build());
        }
        return b;
    }

    static IpcClient connect(Ipc ipc, Opts o, String id, Consumer<IpcClient> setup) {
        if (o.str("transport", "unix").equals("unix")) {
            return ipc.connectTo(id, o.str("path", "/tmp/nodeipc-lab/jipc-bench.sock"), setup);
        }
        return ipc.connectToNet(id, o.str("host", "127.0.0.1"), o.i("port", 18800), setup);
    }

    /** @return peak resident set size (VmHWM) of this process in KiB, or -1 */
    static long peakRssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** @return bytes allocated so far by all live threads of this JVM (HotSpot), or -1 */
    /** @return {@code v - n} if {@code v >= n}, else {@code v}, without a branch; {@code 0 <= v < 2n} */
    static int wrapBelow(int v, int n) {
        return v - (n & ((n - 1 - v) >> 31));
    }

    /**
     * The period, 2^shift messages, of a counter's clock reads: the largest shift up to {@code max} that divides
     * {@code warm} (so the read at the end of the warm-up is exact) and leaves at least 64 reads over the
     * {@code timed} messages; 0 (every message) when none does.
     */
    static int markShift(long warm, long timed, int max) {
        int shift = max;
        while (shift > 0 && ((warm & ((1L << shift) - 1)) != 0 || (timed >>> shift) < 64)) {
            shift--;
        }
        return shift;
    }

    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean)) {
            return -1;
        }
        com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
        long[] ids = hs.getAllThreadIds();
        long sum = 0;
        for (long v : hs.getThreadAllocatedBytes(ids)) {
            if (v > 0) {
                sum += v;
            }
        }
        return sum;
    }

    /** @return used heap after full collections, in bytes */
    static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static int countDelims(byte[] b) {
        int k = 0;
        for (byte x : b) {
            if (x == '\f') {
                k++;
            }
        }
        return k;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
