package io.jipc.resilience;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzz target (Jazzer) for the inbound decoder chain; the property is
 * {@link DecoderHarness#check}: no exception escapes, only {@code WireMessage}/{@code DecodeFailure}
 * come out, every buffer is released, the splitter's retained bytes stay bounded, and the outputs do
 * not depend on how the stream is chunked.
 *
 * <p><b>Under plain {@code mvn test}</b> Jazzer runs in regression mode: the method is called once with
 * an empty input and once per file in
 * {@code src/test/resources/io/jipc/resilience/DecoderFuzzTestInputs/splitDecodeAndPolicy/} (the seed
 * corpus; crashing inputs found while fuzzing are written there too, and so become regression tests).
 *
 * <p><b>Fuzzing</b>: {@code scripts/fuzz-decoder.sh} sets {@code JAZZER_FUZZ=1} and bounds the run with
 * libFuzzer's {@code -max_total_time}. Only one {@code @FuzzTest} may fuzz per JVM, so this class has
 * exactly one.
 */
@Timeout(60)
class DecoderFuzzTest {
    @AfterAll
    static void report() {
        System.out.println("[DecoderFuzzTest] " + DecoderHarness.stats());
    }

    @FuzzTest(maxDuration = "30s")
    void splitDecodeAndPolicy(byte[] input) {
        DecoderHarness.check(input);
    }
}
