package io.jipc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code BenchMain report --summary=summary.txt --md=RESULTS.md --png=results.png --command="…" --machine="…"}:
 * reads the key=value summary lines of one run.sh invocation (jipc, node-ipc 14.0.0, C limit), prints each
 * workload with the ratios jipc/node-ipc and jipc/C, checks the issue's targets, writes RESULTS.md (keeping the
 * hand-written notes below the NOTES marker) and the PNG chart.
 */
final class Report {
    /** A C ping-pong median below this (us) is its same-CPU mode (pinned runs: 2.9-3.5 us; cross-CPU: 57-61 us). */
    private static final double C_SAME_CPU_US = 20;
    static final String NOTES = "<!-- notes: everything below this line is kept when run.sh rewrites this file -->";
    static final String[] T3 = {"unix", "tcp", "tls"};
    static final String[] T2 = {"unix", "tcp"};

    record Row(String who, Map<String, String> kv, String line) {
        String get(String k) {
            return kv.get(k);
        }

        double num(String k) {
            String v = kv.get(k);
            if (v == null) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();
    /** JMH RawPathBenchmark allocation rows: name:gc.alloc.rate.norm, api, size, transport, mode, count, score, …. */
    private final List<String[]> jmhRawAlloc = new ArrayList<>();

    static void main(Opts o) throws IOException {
        Report r = new Report();
        r.load(Path.of(o.str("summary", "summary.txt")));
        String tables = r.tables();
        System.out.println(tables);
        if (o.has("md")) {
            r.writeMd(Path.of(o.str("md", "")), Path.of(o.str("summary", "")), o.str("command", ""), o.str("machine", ""), tables,
                o.str("png", ""));
        }
        if (o.has("png")) {
            r.chart().write(Path.of(o.str("png", "")), 3);
            System.out.println("wrote " + o.str("png", ""));
        }
    }

    void load(Path summary) throws IOException {
        for (String line : Files.readAllLines(summary, StandardCharsets.UTF_8)) {
            line = line.trim();
            if (line.startsWith("# jmh RawPathBenchmark.") && line.contains("gc.alloc.rate.norm")) {
                jmhRawAlloc.add(line.substring("# jmh ".length()).split("\\s+"));
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.contains(" FAILED")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String who = parts[0];
            if (!who.equals("jipc") && !who.equals("node-ipc") && !who.equals("c-limit")) {
                continue;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) {
                    kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
                }
            }
            rows.add(new Row(who, kv, line));
        }
    }

    /** @return the last matching row (one run's figures count) */
    private Row find(String who, String bench, String transport, String libPart, String writes) {
        Row hit = null;
        for (Row r : rows) {
            if (!r.who().equals(who) || !bench.equals(r.get("bench")) || !transport.equals(r.get("transport"))) {
                continue;
            }
            if (libPart != null && (r.get("lib") == null || !r.get("lib").startsWith(libPart))) {
                continue;
            }
            if (writes != null && !writes.equals(r.get("writes"))) {
                continue;
            }
            hit = r;
        }
        return hit;
    }

    private double v(String who, String bench, String t, String lib, String writes, String key) {
        Row r = find(who, bench, t, lib, writes);
        return r == null ? Double.NaN : r.num(key);
    }

    /** The harness's own warm-up: ping-pong's 2,000 round trips, none elsewhere (the row prints none or 0). */
    private static boolean defaultWarmup(Row r) {
        String w = r.get("warmup");
        return w == null || w.equals("2000") || w.equals("0");
    }

    /**
     * The last jipc row of {@code bench} from library {@code libPrefix} ("jipc@" framed JSON, "jipc-raw@" raw mode),
     * with the harness's own warm-up ({@code warm} false) or a longer one (true); any transport when t is null.
     */
    private Row lastJipc(String bench, String t, String libPrefix, boolean warm) {
        Row hit = null;
        for (Row r : rows) {
            if (r.who().equals("jipc") && bench.equals(r.get("bench")) && (t == null || t.equals(r.get("transport")))
                && r.get("lib").startsWith(libPrefix) && defaultWarmup(r) != warm && !"app".equals(r.get("emit_thread"))
                && r.get("jvm") == null && r.get("typed") == null && r.get("busy_poll") == null) {
                hit = r;
            }
        }
        return hit;
    }

    /**
     * Says which of its two modes the C ping-pong ran in, per transport: its two processes are placed by the
     * scheduler, and a round trip within one CPU takes a few microseconds where one that wakes the other vCPU takes
     * tens (this VM halts an idle vCPU); the jipc/C columns mean different things in the two.
     */
    private void cModes(StringBuilder s) {
        StringBuilder modes = new StringBuilder();
        for (String t : T2) {
            double cc = c("pingpong", t, null, "median_us");
            if (!Double.isNaN(cc)) {
                modes.append(modes.length() == 0 ? "" : "; ").append(t).append(' ').append(n(cc)).append(" us, ")
                    .append(cc < C_SAME_CPU_US ? "both processes on one CPU" : "waking the other CPU");
            }
        }
        if (modes.length() > 0) {
            s.append("\nC's median in this run: ").append(modes).append(" (below ").append((int) C_SAME_CPU_US)
                .append(" us is the same-CPU mode; see \"Ping-pong and C's two modes\" below).\n");
        }
    }

    /**
     * The flood client emits on its I/O thread (as a Node.js process does, {@code --emit-thread=io}); rows run with
     * {@code --emit-thread=app} (emits from an application thread), and rows whose receiving handlers bind each
     * payload to a record ({@code --typed}: the flood's server, the broadcast's clients), are listed under the table
     * for comparison.
     */
    private void variantRows(StringBuilder s, String bench, String key) {
        for (Row r : rows) {
            if (r.who().equals("jipc") && bench.equals(r.get("bench")) && "app".equals(r.get("emit_thread"))
                && r.get("jvm") == null && r.get("typed") == null) {
                s.append("\nThe same client emitting from an application thread instead (`--emit-thread=app`), ")
                    .append(r.get("transport")).append(defaultWarmup(r) ? ", cold: " : ", warm: ").append(n(r.num(key)))
                    .append(key.equals("MB_per_s") ? " MB/s" : " msgs/s").append(" (client allocation ")
                    .append(n(r.num("client_alloc_B_per_msg"))).append(" B/msg).\n");
            }
            if (r.who().equals("jipc") && bench.equals(r.get("bench")) && "true".equals(r.get("typed"))
                && r.get("jvm") == null) {
                boolean clients = bench.equals("broadcast");
                s.append(clients ? "\nThe same with the clients' handlers" : "\nThe same with the server's handler")
                    .append(" taking each payload bound to a record (`--typed`: `on(\"message\", Msg.class, …)`), ")
                    .append(r.get("transport")).append(defaultWarmup(r) ? ", cold: " : ", warm: ").append(n(r.num(key)))
                    .append(key.equals("MB_per_s") ? " MB/s" : clients ? " deliveries/s" : " msgs/s")
                    .append(clients ? ".\n" : " (server allocation " + n(r.num("server_alloc_B_per_msg")) + " B/msg).\n");
            }
        }
    }

    private static double num(Row r, String key) {
        return r == null ? Double.NaN : r.num(key);
    }

    private double jipc(String bench, String t, String key) {
        return num(lastJipc(bench, t, "jipc@", false), key);
    }

    /**
     * jipc with a longer warm-up than the harness's (JIT-compiled steady state): ping-pong 30,000 round trips, churn
     * untimed connections, flood untimed messages in the same stream, broadcast untimed broadcasts first.
     */
    private double jwarm(String bench, String t, String key) {
        return num(lastJipc(bench, t, "jipc@", true), key);
    }

    /** "3,000,000 untimed …" (the warm-up of the last warm row of bench, then {@code what}), or "not measured". */
    private String warmupUsed(String bench, String what) {
        Row r = lastJipc(bench, null, "jipc@", true);
        return r == null ? "not measured" : n(r.num("warmup")) + what;
    }

    private double jraw(String bench, String t, String key) {
        return num(lastJipc(bench, t, "jipc-raw@", false), key);
    }

    /** Raw mode after the same untimed warm-up as the framed warm row. */
    private double jrawWarm(String bench, String t, String key) {
        return num(lastJipc(bench, t, "jipc-raw@", true), key);
    }

    private double node(String bench, String t, String key) {
        return v("node-ipc", bench, t, "node-ipc@14", null, key);
    }

    private double c(String bench, String t, String writes, String key) {
        return v("c-limit", bench, t, null, writes, key);
    }

    static String n(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 1e6) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.1f", v);
    }

    static String x(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f×", a / b);
    }

    String tables() {
        StringBuilder s = new StringBuilder();
        s.append("### ping-pong, 100 B frame, round-trip time in µs (lower is better)\n\n");
        s.append("jipc = the harness's 2,000 warm-up round trips; jipc warm = 30,000 warm-up round trips (C2-compiled steady state).\n\n");
        s.append("| transport | percentile | jipc | jipc warm | jipc raw | node-ipc 14 | C | jipc/node-ipc | jipc/C | jipc warm/C |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (String t : T3) {
            for (String[] k : new String[][] {{"median", "median_us"}, {"p99", "p99_us"}, {"p99.9", "p999_us"}}) {
                double j = jipc("pingpong", t, k[1]);
                double jr = jraw("pingpong", t, k[1]);
                double nd = node("pingpong", t, k[1]);
                double cc = c("pingpong", t, null, k[1]);
                double jw = jwarm("pingpong", t, k[1]);
                s.append("| ").append(t).append(" | ").append(k[0]).append(" | ").append(n(j)).append(" | ").append(n(jw))
                    .append(" | ").append(n(jr)).append(" | ").append(n(nd)).append(" | ").append(n(cc)).append(" | ")
                    .append(x(j, nd)).append(" | ").append(x(j, cc)).append(" | ").append(x(jw, cc)).append(" |\n");
            }
        }
        cModes(s);
        for (String[] fl : new String[][] {{"flood", "msgs_per_s", "100 B frames, messages/s"}, {"flood16k", "MB_per_s", "16 KiB frames, MB/s (10^6 B, delimiter included)"}}) {
            s.append("\n### ").append(fl[0]).append(": one emit per message, ").append(fl[2]).append(" (higher is better)\n\n");
            s.append("jipc = the harness's workload from a cold JVM (client's first emit to the server's last arrival); jipc warm = ")
                .append(warmupUsed(fl[0], " untimed messages first in the same stream, then the same count timed on the server "
                    + "(from the read that held the last warm-up message to the last message; allocation from "
                    + "about the half of the timed ones)")).append(".\n\n");
            s.append("| transport | jipc | jipc warm | jipc raw | jipc raw warm | node-ipc 14 | C 1 write/frame | C 64 KiB batched | jipc/node-ipc | jipc warm/node-ipc | jipc/C 1-write | jipc/C batched | jipc warm/C batched | raw/C batched | raw warm/C batched | alloc B/msg jipc srv/cli | alloc B/msg warm srv/cli | alloc B/msg raw srv/cli | alloc B/msg raw warm srv/cli |\n");
            s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (String t : T3) {
                double j = jipc(fl[0], t, fl[1]);
                double jw = jwarm(fl[0], t, fl[1]);
                double jr = jraw(fl[0], t, fl[1]);
                double jrw = jrawWarm(fl[0], t, fl[1]);
                double nd = node(fl[0], t, fl[1]);
                double c1 = c(fl[0], t, "one-per-frame", fl[1]);
                double cb = c(fl[0], t, "64KiB-batched", fl[1]);
                s.append("| ").append(t).append(" | ").append(n(j)).append(" | ").append(n(jw)).append(" | ").append(n(jr))
                    .append(" | ").append(n(jrw)).append(" | ").append(n(nd)).append(" | ").append(n(c1)).append(" | ").append(n(cb)).append(" | ")
                    .append(x(j, nd)).append(" | ").append(x(jw, nd)).append(" | ")
                    .append(x(j, c1)).append(" | ").append(x(j, cb)).append(" | ").append(x(jw, cb)).append(" | ").append(x(jr, cb)).append(" | ").append(x(jrw, cb)).append(" | ")
                    .append(n(jipc(fl[0], t, "server_alloc_B_per_msg"))).append(" / ").append(n(jipc(fl[0], t, "client_alloc_B_per_msg")))
                    .append(" | ").append(n(jwarm(fl[0], t, "server_alloc_B_per_msg"))).append(" / ")
                    .append(n(jwarm(fl[0], t, "client_alloc_B_per_msg")))
                    .append(" | ").append(n(jraw(fl[0], t, "server_alloc_B_per_msg"))).append(" / ")
                    .append(n(jraw(fl[0], t, "client_alloc_B_per_msg")))
                    .append(" | ").append(n(jrawWarm(fl[0], t, "server_alloc_B_per_msg"))).append(" / ")
                    .append(n(jrawWarm(fl[0], t, "client_alloc_B_per_msg"))).append(" |\n");
            }
            variantRows(s, fl[0], fl[1]);
        }
        s.append("\n### broadcast to 32 clients, deliveries/s (higher is better)\n\n");
        s.append("jipc = the harness's workload from a cold JVM (server's first broadcast to the last delivery); jipc warm = ")
            .append(warmupUsed("broadcast", " untimed broadcasts first, then the same count timed on the clients "
                + "(from the last warm-up delivery of all connections to the last delivery; warm-up and timed "
                + "broadcasts are the same event)")).append(".\n\n");
        s.append("| transport | jipc | jipc warm | node-ipc 14 | jipc/node-ipc | jipc warm/node-ipc |\n|---|---|---|---|---|---|\n");
        coldWarmNodeRows(s, "broadcast", "deliveries_per_s");
        variantRows(s, "broadcast", "deliveries_per_s");
        s.append("\n### churn: connect + 1 message + echo + close, connections/s (higher is better)\n\n");
        s.append("jipc = the harness's workload from a cold JVM (5 s); jipc warm = the same after up to 20,000 untimed connections (at most 5 s).\n\n");
        s.append("| transport | jipc | jipc warm | node-ipc 14 | jipc/node-ipc | jipc warm/node-ipc |\n|---|---|---|---|---|---|\n");
        coldWarmNodeRows(s, "churn", "conns_per_s");
        coldStartTable(s);
        busyPollTable(s);
        s.append("\n### heap per idle connection (1000 connections, used heap after full GC, bytes; the client side after one warm-up connection, so one-time class and library initialisation is not counted per connection)\n\n| transport | server side | client side |\n|---|---|---|\n");
        for (String t : T3) {
            s.append("| ").append(t).append(" | ").append(n(jipc("idle", t, "heap_per_conn_B"))).append(" | ")
                .append(n(jipc("idle", t, "client_heap_per_conn_B"))).append(" |\n");
        }
        s.append("\n### targets (this run)\n\n| target | measured | met |\n|---|---|---|\n");
        for (String t : T2) {
            target("ping-pong median ≤ 1.3× C, " + t, jipc("pingpong", t, "median_us") / c("pingpong", t, null, "median_us"), 1.3, false, "×C");
            target("ping-pong p99 ≤ 1.5× C p99, " + t, jipc("pingpong", t, "p99_us") / c("pingpong", t, null, "p99_us"), 1.5, false, "×C");
            target("(warm) ping-pong median ≤ 1.3× C, " + t, jwarm("pingpong", t, "median_us") / c("pingpong", t, null, "median_us"), 1.3, false, "×C");
            target("(warm) ping-pong p99 ≤ 1.5× C p99, " + t, jwarm("pingpong", t, "p99_us") / c("pingpong", t, null, "p99_us"), 1.5, false, "×C");
        }
        for (String t : T3) {
            target("flood 100 B JSON ≥ 15× node-ipc 14, " + t + " (" + n(jipc("flood", t, "msgs_per_s")) + " msgs/s)",
                jipc("flood", t, "msgs_per_s") / node("flood", t, "msgs_per_s"), 15, true, "×node");
            target("(warm) flood 100 B JSON ≥ 15× node-ipc 14, " + t + " (" + n(jwarm("flood", t, "msgs_per_s")) + " msgs/s)",
                jwarm("flood", t, "msgs_per_s") / node("flood", t, "msgs_per_s"), 15, true, "×node");
        }
        for (String t : T3) {
            target("flood 100 B JSON ≥ 3M msgs/s, " + t, jipc("flood", t, "msgs_per_s") / 1e6, 3, true, "M msgs/s");
            target("(warm) flood 100 B JSON ≥ 3M msgs/s, " + t, jwarm("flood", t, "msgs_per_s") / 1e6, 3, true, "M msgs/s");
        }
        for (String t : T2) {
            target("flood 16 KiB ≥ 50% of C batched, " + t, jipc("flood16k", t, "MB_per_s") / c("flood16k", t, "64KiB-batched", "MB_per_s"), 0.5, true, "×C");
            target("(warm) flood 16 KiB ≥ 50% of C batched, " + t, jwarm("flood16k", t, "MB_per_s") / c("flood16k", t, "64KiB-batched", "MB_per_s"), 0.5, true, "×C");
            target("flood 16 KiB raw ≥ 70% of C batched, " + t, jraw("flood16k", t, "MB_per_s") / c("flood16k", t, "64KiB-batched", "MB_per_s"), 0.7, true, "×C");
            target("(warm) flood 16 KiB raw ≥ 70% of C batched, " + t, jrawWarm("flood16k", t, "MB_per_s") / c("flood16k", t, "64KiB-batched", "MB_per_s"), 0.7, true, "×C");
        }
        for (String t : T3) {
            target("broadcast 32 clients ≥ 10× node-ipc 14, " + t, jipc("broadcast", t, "deliveries_per_s") / node("broadcast", t, "deliveries_per_s"), 10, true, "×node");
            target("(warm) broadcast 32 clients ≥ 10× node-ipc 14, " + t, jwarm("broadcast", t, "deliveries_per_s") / node("broadcast", t, "deliveries_per_s"), 10, true, "×node");
        }
        for (String t : T3) {
            target("churn ≥ 3× node-ipc 14, " + t, jipc("churn", t, "conns_per_s") / node("churn", t, "conns_per_s"), 3, true, "×node");
            target("(warm) churn ≥ 3× node-ipc 14, " + t, jwarm("churn", t, "conns_per_s") / node("churn", t, "conns_per_s"), 3, true, "×node");
            if (busy("churn", t) != null) {
                target("(warm, busyPollMicros " + busy("churn", t).get("busy_poll") + ") churn ≥ 3× node-ipc 14, " + t,
                    num(busy("churn", t), "conns_per_s") / node("churn", t, "conns_per_s"), 3, true, "×node");
            }
        }
        for (String t : T2) {
            target("heap per idle connection ≤ 4 KiB (server), " + t, jipc("idle", t, "heap_per_conn_B"), 4096, false, "B");
            target("heap per idle connection ≤ 4 KiB (client), " + t, jipc("idle", t, "client_heap_per_conn_B"), 4096, false, "B");
        }
        target("raw mode: 0 B allocated per message once warm (flood raw unix, server)", jraw("flood", "unix", "server_alloc_B_per_msg"), 0.5, false, "B/msg");
        target("raw mode: 0 B allocated per message once warm (flood raw unix, client)", jraw("flood", "unix", "client_alloc_B_per_msg"), 0.5, false, "B/msg");
        target("(warm) raw mode: 0 B allocated per message (flood raw unix, server)", jrawWarm("flood", "unix", "server_alloc_B_per_msg"), 0.5, false, "B/msg");
        target("(warm) raw mode: 0 B allocated per message (flood raw unix, client)", jrawWarm("flood", "unix", "client_alloc_B_per_msg"), 0.5, false, "B/msg");
        for (String[] j : jmhRawAlloc) {
            String op = j[0].substring("RawPathBenchmark.".length(), j[0].indexOf(':'));
            // columns: name, the parameters of every benchmark of the run (N/A where not this one's), mode, count, score
            List<String> params = new ArrayList<>();
            int mode = 1;
            for (; mode < j.length && !j[mode].equals("avgt"); mode++) {
                if (!j[mode].equals("N/A")) {
                    params.add(j[mode]);
                }
            }
            // emit's stage is one object per write batch by contract, and onData hands the handler a new array
            // (its own to keep): neither is the allocation-free path, so both show in the JMH lines only
            if (op.equals("send") || (op.equals("receive") && !params.contains("buffer"))) {
                continue;
            }
            double score;
            try {
                score = j[mode + 2].equals("≈") ? 0 : Double.parseDouble(j[mode + 2]); // JMH prints "≈ 0" for tiny values
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                score = Double.NaN;
            }
            target("(JMH -prof gc) raw " + op + " " + String.join(" ", params) + ": 0 B allocated per message",
                score, 0.5, false, "B/msg");
        }
        for (String[] tg : targets) {
            s.append("| ").append(tg[0]).append(" | ").append(tg[1]).append(" | ").append(tg[2]).append(" |\n");
        }
        return s.toString();
    }

    private void target(String what, double measured, double bound, boolean atLeast, String unit) {
        String m = Double.isNaN(measured) ? "–" : String.format(Locale.ROOT, "%.2f %s", measured, unit);
        String met;
        if (Double.isNaN(measured)) {
            met = "not measured";
        } else if (unit.equals("B/msg")) {
            met = measured <= bound ? "**met**" : String.format(Locale.ROOT, "missed: %.0f B allocated per message (target 0)", measured);
        } else if (atLeast ? measured >= bound : measured <= bound) {
            met = "**met**";
        } else {
            met = atLeast ? String.format(Locale.ROOT, "missed: %.1f%% of target (needs %.2f× more)", 100 * measured / bound, bound / measured)
                : String.format(Locale.ROOT, "missed: %.2f× over the bound", measured / bound);
        }
        targets.add(new String[] {what, m, met});
    }

    Chart chart() {
        Chart ch = new Chart("jipc vs node-ipc 14.0.0 vs C limit — one run, same machine");
        for (String t : T3) {
            double[][] v = new double[3][];
            String[] k = {"median_us", "p99_us", "p999_us"};
            for (int i = 0; i < 3; i++) {
                v[i] = new double[] {jipc("pingpong", t, k[i]), jwarm("pingpong", t, k[i]), node("pingpong", t, k[i]), c("pingpong", t, null, k[i])};
            }
            ch.add(new Chart.Panel("ping-pong RTT, 100 B, " + t, "µs", true, List.of("median", "p99", "p99.9"),
                List.of("jipc", "jipc warm", "node-ipc 14", "C"), v));
        }
        for (String[] fl : new String[][] {{"flood", "msgs_per_s", "flood 100 B", "msgs/s"}, {"flood16k", "MB_per_s", "flood 16 KiB", "MB/s"}}) {
            double[][] v = new double[3][];
            for (int i = 0; i < 3; i++) {
                String t = T3[i];
                v[i] = new double[] {jipc(fl[0], t, fl[1]), jwarm(fl[0], t, fl[1]), jraw(fl[0], t, fl[1]), jrawWarm(fl[0], t, fl[1]),
                    node(fl[0], t, fl[1]), c(fl[0], t, "one-per-frame", fl[1]), c(fl[0], t, "64KiB-batched", fl[1])};
            }
            ch.add(new Chart.Panel(fl[2] + " (one emit per message)", fl[3], true, List.of(T3),
                List.of("jipc", "jipc warm", "jipc raw", "jipc raw warm", "node-ipc 14", "C 1 write/frame", "C batched"), v));
        }
        double[][] b = new double[3][];
        double[][] cn = new double[3][];
        for (int i = 0; i < 3; i++) {
            String t = T3[i];
            b[i] = new double[] {jipc("broadcast", t, "deliveries_per_s"), jwarm("broadcast", t, "deliveries_per_s"),
                node("broadcast", t, "deliveries_per_s")};
            cn[i] = new double[] {jipc("churn", t, "conns_per_s"), jwarm("churn", t, "conns_per_s"), node("churn", t, "conns_per_s")};
        }
        ch.add(new Chart.Panel("broadcast to 32 clients", "deliveries/s", false, List.of(T3), List.of("jipc", "jipc warm", "node-ipc 14"), b));
        ch.add(new Chart.Panel("churn: connect + 1 msg + close", "conns/s", false, List.of(T3), List.of("jipc", "jipc warm", "node-ipc 14"), cn));
        return ch;
    }

    void writeMd(Path mdFile, Path summary, String command, String machine, String tables, String png) throws IOException {
        String notes = "";
        if (Files.exists(mdFile)) {
            String old = Files.readString(mdFile, StandardCharsets.UTF_8);
            int at = old.indexOf(NOTES);
            if (at >= 0) {
                notes = old.substring(at + NOTES.length());
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("# jipc benchmark results (last run)\n\n");
        s.append("Made by:\n\n```sh\n").append(command).append("\n```\n\n");
        s.append("Machine and run: ").append(machine).append("\n\n");
        s.append("jipc: two JVMs (server and client, `BenchMain server|client`), node-ipc: `node-ipc@14.0.0` via the shared ")
            .append("harness `bench/run.js --lib=v14`, C: `c/ipcbench.c` (the kernel limit, `\\f` framing, memchr only). ")
            .append("Same workloads, sizes and counts as the harness; one summary line per result in `summary.txt` shape. ")
            .append("Ratios are within this one run.\n\n");
        if (png != null && !png.isEmpty()) {
            s.append("![chart](").append(Path.of(png).getFileName()).append(")\n\n");
        }
        s.append(tables).append("\n");
        s.append("<details><summary>summary lines of this run</summary>\n\n```\n");
        for (Row r : rows) {
            s.append(r.line()).append('\n');
        }
        s.append("```\n\n</details>\n\n").append(NOTES).append(notes.isEmpty() ? "\n" : notes);
        Files.writeString(mdFile, s.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + mdFile);
    }

    /** One row per transport: jipc cold, jipc warm, node-ipc 14 and the two ratios, for {@code bench}'s {@code key}. */
    /** The last warm framed jipc row of {@code bench} on {@code t} run with {@code --busy-poll}, or null. */
    private Row busy(String bench, String t) {
        return last(r -> framedJipc(r, bench, t) && r.get("busy_poll") != null && r.get("jvm") == null && !defaultWarmup(r));
    }

    /** @return the last row {@code p} accepts, or null */
    private Row last(java.util.function.Predicate<Row> p) {
        Row hit = null;
        for (Row r : rows) {
            if (p.test(r)) {
                hit = r;
            }
        }
        return hit;
    }

    /** Whether {@code r} is a framed (not raw) jipc row of {@code bench} on {@code t}. */
    private static boolean framedJipc(Row r, String bench, String t) {
        return r.who().equals("jipc") && bench.equals(r.get("bench")) && t.equals(r.get("transport"))
            && r.get("lib").startsWith("jipc@");
    }

    /** The warm rows again with both peers' event loops polling before they sleep; only when run.sh ran them. */
    private void busyPollTable(StringBuilder s) {
        String[][] rowsOf = {{"pingpong", "median_us", "ping-pong median, us (lower is better)"},
            {"pingpong", "p99_us", "ping-pong p99, us (lower is better)"}, {"flood", "msgs_per_s", "flood 100 B, msgs/s"},
            {"broadcast", "deliveries_per_s", "broadcast, deliveries/s"}, {"churn", "conns_per_s", "churn, conns/s"}};
        String micros = null;
        for (Row r : rows) {
            if (r.get("busy_poll") != null) {
                micros = r.get("busy_poll");
            }
        }
        if (micros == null) {
            return;
        }
        s.append("\n### busy polling: the warm rows with `busyPollMicros(").append(micros).append(")` on both peers\n\n");
        s.append("jipc warm = the warm rows above (event loops sleep as soon as they are idle, the default); busy poll = ")
            .append("the same with both peers' event loops polling for up to ").append(micros)
            .append(" us before they sleep (`IpcConfig.busyPollMicros`, `--busy-poll`).\n\n");
        s.append("| workload | transport | jipc warm | jipc warm, busy poll | node-ipc 14 | jipc warm/node-ipc | busy poll/node-ipc |\n")
            .append("|---|---|---|---|---|---|---|\n");
        for (String[] b : rowsOf) {
            for (String t : T2) {
                double w = jwarm(b[0], t, b[1]);
                double bp = num(busy(b[0], t), b[1]);
                if (Double.isNaN(bp)) {
                    continue;
                }
                double nd = node(b[0], t, b[1]);
                s.append("| ").append(b[2]).append(" | ").append(t).append(" | ").append(n(w)).append(" | ").append(n(bp))
                    .append(" | ").append(n(nd)).append(" | ").append(x(w, nd)).append(" | ").append(x(bp, nd)).append(" |\n");
            }
        }
    }

    /** The last cold framed jipc row of {@code bench} on {@code t} whose peers ran as {@code jvm} (run.sh's AOT step). */
    private Row labelled(String bench, String t, String jvm) {
        return last(r -> framedJipc(r, bench, t) && jvm.equals(r.get("jvm")) && defaultWarmup(r));
    }

    /** The cold rows again on a JDK 25 or later, without and with an AOT cache; only when run.sh had AOT_JAVA. */
    private void coldStartTable(StringBuilder s) {
        String[][] benches = {{"flood", "msgs_per_s", "msgs/s"}, {"broadcast", "deliveries_per_s", "deliveries/s"},
            {"churn", "conns_per_s", "conns/s"}};
        if (rows.stream().noneMatch(r -> "jdk25".equals(r.get("jvm")) || "jdk25-aot".equals(r.get("jvm")))) {
            return;
        }
        s.append("\n### cold start: the cold rows on JDK 25, without and with an AOT cache (higher is better)\n\n");
        s.append("jipc = the cold row above (this run's main JVM); JDK 25 = the same peers on JDK 25 (`jvm=jdk25`); ")
            .append("JDK 25 + AOT = on JDK 25 with `-XX:AOTCache=…` (`jvm=jdk25-aot`), a cache written at exit by a training ")
            .append("run of the same workload with `-XX:AOTCacheOutput=…` (one per workload, transport and role): classes ")
            .append("loaded and linked ahead of time and the training run's method profiles (JEP 483, JEP 515), so the ")
            .append("JIT starts from a profile instead of the interpreter's first counts.\n\n");
        s.append("| workload | transport | jipc | jipc JDK 25 | jipc JDK 25 + AOT | node-ipc 14 | jipc/node-ipc | JDK 25/node-ipc | JDK 25 + AOT/node-ipc |\n")
            .append("|---|---|---|---|---|---|---|---|---|\n");
        for (String[] b : benches) {
            for (String t : T3) {
                double j = jipc(b[0], t, b[1]);
                double plain = num(labelled(b[0], t, "jdk25"), b[1]);
                double aot = num(labelled(b[0], t, "jdk25-aot"), b[1]);
                double nd = node(b[0], t, b[1]);
                if (Double.isNaN(j) && Double.isNaN(plain) && Double.isNaN(aot)) {
                    continue; // not run
                }
                s.append("| ").append(b[0]).append(", ").append(b[2]).append(" | ").append(t).append(" | ").append(n(j))
                    .append(" | ").append(n(plain)).append(" | ").append(n(aot)).append(" | ").append(n(nd)).append(" | ")
                    .append(x(j, nd)).append(" | ").append(x(plain, nd)).append(" | ").append(x(aot, nd)).append(" |\n");
            }
        }
    }

    private void coldWarmNodeRows(StringBuilder s, String bench, String key) {
        for (String t : T3) {
            double j = jipc(bench, t, key);
            double jw = jwarm(bench, t, key);
            double nd = node(bench, t, key);
            s.append("| ").append(t).append(" | ").append(n(j)).append(" | ").append(n(jw)).append(" | ").append(n(nd))
                .append(" | ").append(x(j, nd)).append(" | ").append(x(jw, nd)).append(" |\n");
        }
    }
}
