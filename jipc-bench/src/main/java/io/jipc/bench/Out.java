package io.jipc.bench;

import java.util.Map;

/** Where a peer reports: stdout lines ({@code READY …}, {@code RESULT {json}}) in a child JVM, or a test's collector. */
interface Out {
    void ready(String info);

    void result(Map<String, Object> r);

    /** The peer is done; a child JVM exits here. */
    void finish();

    /** stdout protocol of bench.js: READY / RESULT lines; finish() exits the JVM. */
    static Out stdout() {
        return new Out() {
            @Override
            public synchronized void ready(String info) {
                System.out.println("READY pid=" + ProcessHandle.current().pid() + " " + info);
                System.out.flush();
            }

            @Override
            public synchronized void result(Map<String, Object> r) {
                System.out.println("RESULT " + Peers.JSON.writeValueAsString(r));
                System.out.flush();
            }

            @Override
            public void finish() {
                System.out.flush();
                // exit (not halt) so that shutdown hooks such as a JFR dump run; off this thread, which may be an I/O thread
                Thread t = new Thread(() -> System.exit(0), "exit");
                t.start();
                Peers.sleep(10_000);
                Runtime.getRuntime().halt(0);
            }
        };
    }
}
