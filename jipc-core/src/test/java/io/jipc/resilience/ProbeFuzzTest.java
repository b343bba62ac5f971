package io.jipc.resilience;

import com.code_intelligence.jazzer.junit.FuzzTest;

class ProbeFuzzTest {
    static int n;
    @FuzzTest(maxDuration = "5s")
    void probe(byte[] data) {
        n++;
        System.out.println("probe " + data.length + " n=" + n);
    }
}
