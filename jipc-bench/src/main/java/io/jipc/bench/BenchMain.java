package io.jipc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of {@code target/benchmarks.jar}.
 * <pre>
 *   BenchMain run    --bench=pingpong|flood|flood16k|broadcast|churn|idle --transport=unix|tcp|tls [--raw] [--runs=N]
 *                    [--out=FILE.jsonl] [--n= --size= --clients= --seconds= --rounds= --warmup= --max-seconds=]
 *                    (--warmup: untimed round trips / connections / messages / broadcasts before the timed ones;
 *                    the summary line then carries warmup=N, a "jipc warm" row in the report)
 *   BenchMain server --mode=echo|count|broadcast|idle  --transport=… [--path= | --port=] …   (one peer JVM)
 *   BenchMain client --mode=pingpong|flood|bcast-recv|churn|idle --transport=… …             (the other)
 *   BenchMain report --summary=FILE --md=RESULTS.md --png=results.png [--command="…"]
 *   BenchMain jfrtop FILE.jfr [top=25]
 * </pre>
 * JMH micro-benchmarks: {@code java -jar target/benchmarks.jar} is this class; use
 * {@code java -cp target/benchmarks.jar org.openjdk.jmh.Main [regex] [-prof gc]}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchMain run|server|client|report|jfrtop …  (see the class Javadoc)");
            System.exit(2);
        }
        Opts o = Opts.parse(args, 1);
        switch (args[0]) {
            case "run" -> System.exit(new Orchestrator(o).run());
            case "server" -> {
                BenchServer s = new BenchServer(o, Out.stdout()).start();
                // the orchestrator writes STOP (node's SIGUSR2) to ask for the result
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                String l;
                while ((l = in.readLine()) != null) {
                    if (l.trim().equals("STOP")) {
                        s.finish(Map.of("stopped", "signal"));
                    }
                }
                Thread.sleep(Long.MAX_VALUE);   // stdin closed: keep serving until max-seconds
            }
            case "client" -> {
                Out out = Out.stdout();
                try {
                    new BenchClient(o, out).run();
                } catch (Exception e) {
                    e.printStackTrace();
                    out.result(Map.of("role", "client", "error", String.valueOf(e)));
                    System.out.flush();
                    Runtime.getRuntime().halt(2);
                }
                out.finish();
            }
            case "report" -> Report.main(o);
            case "jfrtop" -> JfrTop.main(Arrays.copyOfRange(args, 1, args.length));
            default -> {
                System.err.println("unknown subcommand " + args[0]);
                System.exit(2);
            }
        }
    }
}
