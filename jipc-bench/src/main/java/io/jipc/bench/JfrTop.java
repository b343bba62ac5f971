package io.jipc.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/** {@code BenchMain jfrtop FILE.jfr [top]}: hottest methods of a JFR recording (self and total samples), plus GC/allocation totals. */
final class JfrTop {
    private JfrTop() {
    }

    static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Long> allocTop = new HashMap<>();
        int samples = 0;
        long gcPauseNs = 0;
        int gcs = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ExecutionSample") && e.getStackTrace() != null) {
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) {
                        total.merge(n, 1, Integer::sum);
                    }
                }
            } else if (type.equals("jdk.GarbageCollection")) {
                gcs++;
                gcPauseNs += e.getDuration("sumOfPauses").toNanos();
            } else if ((type.equals("jdk.ObjectAllocationSample")) && e.getStackTrace() != null) {
                String cls = e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                String where = frames.isEmpty() ? "?" : name(frames.get(0));
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("tools.jackson") && !n.startsWith("io.netty.buffer")) {
                        where = n;
                        break;
                    }
                }
                allocTop.merge(cls + " <- " + where, e.getLong("weight"), Long::sum);
            }
        }
        System.out.printf("samples=%d gcs=%d gc_pause_ms=%.1f%n", samples, gcs, gcPauseNs / 1e6);
        System.out.println("-- self time (top frame) --");
        print(self, samples, top);
        System.out.println("-- total time (on stack) --");
        print(total, samples, top);
        System.out.println("-- allocation (sampled weight, bytes) --");
        allocTop.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
            .forEach(en -> System.out.printf("%,15d  %s%n", en.getValue(), en.getKey()));
    }

    private static void print(Map<String, Integer> m, int samples, int top) {
        m.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(top)
            .forEach(en -> System.out.printf("%5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, samples), en.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
