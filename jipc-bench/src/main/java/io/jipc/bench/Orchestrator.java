package io.jipc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code BenchMain run --bench=… --transport=…}: the jipc twin of the harness's bench/run.js. Starts the
 * server JVM, then the client JVM, collects their RESULT lines and prints ONE summary line per run in the
 * harness's key=value shape (prefix {@code jipc}). Every run is bounded (per-process max-seconds plus a hard
 * kill here).
 *
 * <p>{@code --jvm=LABEL} marks the runs of peers started differently from the main rows (another JDK, an AOT
 * cache through {@code JIPC_BENCH_JVM_OPTS}): the label goes into the summary line and the results, and the
 * report keeps such rows out of its main tables, as it does rows run with {@code --busy-poll=MICROS} (both peers'
 * {@code IpcConfig.busyPollMicros}). {@code --exit-wait=S}: how long each peer may take to exit after
 * SIGTERM before it is killed (default 3 s; a JVM that writes an AOT cache as it exits needs longer).
 */
final class Orchestrator {
    record Preset(String server, String client, int size, int n, int clients, int max) {
    }

    static final Map<String, Preset> PRESETS = Map.of(
        "pingpong", new Preset("echo", "pingpong", 100, 0, 1, 20),
        "flood", new Preset("count", "flood", 100, 500000, 1, 20),
        "flood16k", new Preset("count", "flood", 16384, 50000, 1, 20),
        "broadcast", new Preset("broadcast", "bcast-recv", 100, 20000, 32, 20),
        "churn", new Preset("echo", "churn", 100, 100000, 1, 15),
        "idle", new Preset("idle", "idle", 100, 0, 1000, 30));

    private final Opts a;
    private final String bench;
    private final Preset p;

    Orchestrator(Opts a) {
        this.a = a;
        this.bench = a.str("bench", "pingpong");
        this.p = PRESETS.get(bench);
        if (p == null) {
            throw new IllegalArgumentException("unknown --bench=" + bench + "; one of " + PRESETS.keySet());
        }
    }

    int run() throws IOException {
        Files.createDirectories(Path.of("/tmp/nodeipc-lab"));
        int runs = a.i("runs", 1);
        int fails = 0;
        for (int run = 1; run <= runs; run++) {
            String head = "jipc bench=" + bench + " lib=" + lib() + " transport=" + a.str("transport", "unix")
                + (a.has("jvm") ? " jvm=" + a.str("jvm", "") : "") + (a.flag("typed") ? " typed=true" : "")
                + (a.has("busy-poll") ? " busy_poll=" + a.i("busy-poll", 0) : "") + " run=" + run;
            try {
                Map<String, Object> r = runOnce(run);
                String line = head + " " + summary(r);
                System.out.println(line);
                r.put("summary", line);
                r.put("when", Instant.now().toString());
                r.put("bench", bench);
                if (a.has("jvm")) {
                    r.put("jvm", a.str("jvm", ""));
                }
                String outFile = a.str("out", "/tmp/nodeipc-lab/jipc-results.jsonl");
                Files.writeString(Path.of(outFile), Peers.JSON.writeValueAsString(r) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (Exception e) {
                fails++;
                String m = String.valueOf(e.getMessage()).split("\n")[0];
                System.out.println(head + " FAILED " + m);
            }
        }
        return fails == 0 ? 0 : 1;
    }

    String lib() {
        return (a.flag("raw") ? "jipc-raw@" : "jipc@") + version();
    }

    static String version() {
        try (var in = Orchestrator.class.getResourceAsStream("/META-INF/maven/io.jipc/jipc/pom.properties")) {
            if (in != null) {
                java.util.Properties pr = new java.util.Properties();
                pr.load(in);
                return pr.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }

    private Map<String, Object> runOnce(int run) throws Exception {
        int size = a.i("size", p.size());
        int n = a.i("n", p.n());
        int clients = a.i("clients", p.clients());
        int max = a.i("max-seconds", p.max());
        String sock = "/tmp/nodeipc-lab/jipc-bench-" + ProcessHandle.current().pid() + "-" + run + ".sock";
        Opts common = new Opts().with("transport", a.str("transport", "unix")).with("path", sock)
            .with("size", size).with("n", n).with("clients", clients);
        if (a.flag("raw")) {
            common.with("raw", true);
        }
        if (a.flag("typed")) {
            common.with("typed", true);
        }
        if (a.has("busy-poll")) { // IpcConfig.busyPollMicros of both peers
            common.with("busy-poll", a.i("busy-poll", 0));
        }
        if (a.has("certs")) {
            common.with("certs", a.str("certs", ""));
        }
        Opts so = common.copy().with("role", "server").with("mode", p.server()).with("port", 0).with("max-seconds", max + 5);
        if (a.has("warmup")) {   // flood: untimed messages the server counts first; broadcast: untimed broadcasts it sends
            so.with("warmup", a.str("warmup", ""));
        }
        Child srv = Child.start("server", so);
        Child cli = null;
        try {
            String ready = srv.ready.get(15, TimeUnit.SECONDS);
            int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
            Opts co = common.copy().with("role", "client").with("mode", p.client()).with("port", port)
                .with("max-seconds", max).with("linger", true);
            for (String k : List.of("seconds", "rounds", "warmup", "hwm", "emit-thread")) {
                if (a.has(k)) {
                    co.with(k, a.str(k, ""));
                }
            }
            cli = Child.start("client", co);
            Map<String, Object> r = new LinkedHashMap<>();
            switch (bench) {
                case "pingpong", "churn" -> {
                    Map<String, Object> cr = cli.result(max + 15);
                    srv.stop();
                    Map<String, Object> sr = srv.result(5);
                    r.put("client", cr);
                    r.put("server", sr);
                }
                case "flood", "flood16k" -> {
                    Map<String, Object> sr = srv.result(max + 8);
                    Map<String, Object> cr = cli.result(5);
                    long warmup = sr.get("warmup") instanceof Number w ? w.longValue() : 0;
                    long count;
                    double dt;
                    if (warmup > 0) {
                        // warm: the server's clock only, from the read that held message warmup to the last one
                        count = ((Number) sr.get("timed")).longValue();
                        dt = (Long.parseLong((String) sr.get("t_last")) - Long.parseLong((String) sr.get("t_first"))) / 1e9;
                        r.put("warmup", warmup);
                    } else {
                        // cold (the harness's definition): from the client's first emit to the server's last arrival
                        count = ((Number) sr.get("count")).longValue();
                        dt = (Long.parseLong((String) sr.get("t_last")) - Long.parseLong((String) cr.get("t_start"))) / 1e9;
                    }
                    dt = Math.max(dt, 1e-9);
                    int fb = ((Number) cr.get("frame_bytes")).intValue();
                    r.put("client", cr);
                    r.put("server", sr);
                    r.put("msgs", count);
                    r.put("n", n);
                    r.put("seconds", dt);
                    r.put("msgs_per_s", count / dt);
                    r.put("MB_per_s", count * (double) fb / dt / 1e6);
                }
                case "broadcast" -> {
                    Map<String, Object> cr = cli.result(max + 5);
                    Map<String, Object> sent = srv.result(5);
                    srv.stop();
                    long warmup = sent.get("warmup") instanceof Number w ? w.longValue() : 0;
                    // cold (the harness's definition): from the server's first broadcast to the last delivery; warm:
                    // from the last warm-up delivery of all connections to the last delivery (the warm-up backlog still
                    // drains when the server starts the timed broadcasts), both on the client's clock
                    String from = warmup > 0 ? (String) cr.get("t_first") : (String) sent.get("t_first");
                    double dt = Math.max(1e-9, (Long.parseLong((String) cr.get("t_last")) - Long.parseLong(from)) / 1e9);
                    if (warmup > 0) {
                        r.put("warmup", warmup);
                    }
                    long got = ((Number) cr.get("received")).longValue();
                    r.put("client", cr);
                    r.put("server", sent);
                    r.put("deliveries", got);
                    r.put("broadcasts", sent.get("count"));
                    r.put("clients", clients);
                    r.put("seconds", dt);
                    r.put("deliveries_per_s", got / dt);
                    r.put("server", srv.result(5));
                    r.put("broadcast", sent);
                }
                case "idle" -> {
                    Map<String, Object> sr = srv.result(max + 5);
                    Map<String, Object> cr = cli.result(10);
                    r.put("client", cr);
                    r.put("server", sr);
                }
                default -> throw new IllegalStateException(bench);
            }
            return r;
        } finally {
            int exitWait = a.i("exit-wait", 3);
            if (cli != null) {
                cli.kill(exitWait);
            }
            srv.kill(exitWait);
            Files.deleteIfExists(Path.of(sock));
        }
    }

    @SuppressWarnings("unchecked")
    private String summary(Map<String, Object> r) {
        Map<String, Object> c = (Map<String, Object>) r.get("client");
        Map<String, Object> s = (Map<String, Object>) r.get("server");
        StringBuilder b = new StringBuilder();
        switch (bench) {
            case "pingpong" -> b.append("frame=").append(c.get("frame_bytes")).append("B rounds=").append(c.get("rounds"))
                .append(" warmup=").append(c.get("warmup")).append(" median_us=").append(f(c.get("median_us"))).append(" p99_us=").append(f(c.get("p99_us")))
                .append(" p999_us=").append(f(c.get("p999_us")));
            case "flood", "flood16k" -> b.append("frame=").append(c.get("frame_bytes")).append("B ")
                .append(r.get("warmup") == null ? "" : "warmup=" + r.get("warmup") + " ").append("msgs=").append(r.get("msgs"))
                .append('/').append(r.get("n")).append(" msgs_per_s=").append(f(r.get("msgs_per_s")))
                .append(" MB_per_s=").append(f(r.get("MB_per_s"))).append(" secs=")
                .append(String.format(Locale.ROOT, "%.2f", (Double) r.get("seconds")))
                .append(" server_alloc_B_per_msg=").append(f(s.get("alloc_per_msg_B")))
                .append(" client_alloc_B_per_msg=").append(f(c.get("alloc_per_msg_B")))
                .append(" emit_thread=").append(c.get("emit_thread"));
            case "broadcast" -> b.append(r.get("warmup") == null ? "" : "warmup=" + r.get("warmup") + " ")
                .append("clients=").append(r.get("clients")).append(" broadcasts=").append(r.get("broadcasts"))
                .append(" deliveries=").append(r.get("deliveries")).append(" deliveries_per_s=").append(f(r.get("deliveries_per_s")))
                .append(" secs=").append(String.format(Locale.ROOT, "%.2f", (Double) r.get("seconds")));
            case "churn" -> b.append(c.get("warmup") == null ? "" : "warmup=" + c.get("warmup") + " ")
                .append("conns=").append(c.get("connections")).append(" errors=").append(c.get("errors"))
                .append(" conns_per_s=").append(f(c.get("conns_per_s")));
            case "idle" -> b.append("conns=").append(s.get("conns")).append(" heap_per_conn_B=").append(f(s.get("heap_per_conn_B")))
                .append(" client_heap_per_conn_B=").append(f(c.get("client_heap_per_conn_B")));
            default -> { }
        }
        b.append(" server_peak_rss_kb=").append(s == null ? "NA" : s.get("maxrss_kb"))
            .append(" client_peak_rss_kb=").append(c == null ? "NA" : c.get("maxrss_kb"));
        return b.toString();
    }

    /** run.js's number format: no decimals from 100 up, one below. */
    static String f(Object x) {
        if (!(x instanceof Number num)) {
            return x == null ? "NA" : String.valueOf(x);
        }
        double v = num.doubleValue();
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.1f", v);
    }

    /** One peer JVM: READY / RESULT lines from stdout, stderr kept (tail) for error messages. */
    static final class Child {
        final String name;
        final Process proc;
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final BlockingQueue<Map<String, Object>> results = new LinkedBlockingQueue<>();
        final StringBuffer err = new StringBuffer();

        private Child(String name, Process proc) {
            this.name = name;
            this.proc = proc;
        }

        static Child start(String role, Opts o) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            String jvm = System.getenv().getOrDefault("JIPC_BENCH_JVM_OPTS", "-Xms256m -Xmx1g");
            for (String s : jvm.trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    cmd.add(s.replace("%ROLE%", role));
                }
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(BenchMain.class.getName());
            cmd.add(role);
            cmd.addAll(o.args());
            Process p = new ProcessBuilder(cmd).start();
            Child c = new Child(role, p);
            Thread t = new Thread(c::pump, role + "-stdout");
            t.setDaemon(true);
            t.start();
            Thread e = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        c.err.append(l).append('\n');
                        if (c.err.length() > 20000) {
                            c.err.delete(0, c.err.length() - 10000);
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, role + "-stderr");
            e.setDaemon(true);
            e.start();
            return c;
        }

        @SuppressWarnings("unchecked")
        private void pump() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (l.startsWith("READY ")) {
                        ready.complete(l);
                    } else if (l.startsWith("RESULT ")) {
                        results.add(Peers.JSON.readValue(l.substring(7), Map.class));
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited before READY: " + tail()));
        }

        String tail() {
            String s = err.toString();
            return s.length() > 600 ? s.substring(s.length() - 600) : s;
        }

        Map<String, Object> result(int seconds) throws Exception {
            Map<String, Object> r = results.poll(seconds, TimeUnit.SECONDS);
            if (r == null) {
                throw new TimeoutException(name + ": no RESULT within " + seconds + " s; stderr: " + tail());
            }
            return r;
        }

        void stop() {
            try {
                OutputStream os = proc.getOutputStream();
                os.write("STOP\n".getBytes(StandardCharsets.US_ASCII));
                os.flush();
            } catch (IOException ignored) {
                // already gone
            }
        }

        /**
         * SIGTERM, then SIGKILL when the peer has not exited within {@code graceSeconds}. The signal goes through the
         * process handle, which (unlike {@code Process.destroy}) leaves the pipes open while the peer exits: a JVM
         * writing an AOT cache then still prints to its stdout, and would die of SIGPIPE on a closed one.
         */
        void kill(int graceSeconds) {
            proc.toHandle().destroy();
            try {
                if (!proc.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                    proc.destroyForcibly();
                    proc.waitFor(3, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
