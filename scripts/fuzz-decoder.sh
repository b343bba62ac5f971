#!/usr/bin/env bash
# fuzz-decoder.sh — long, coverage-guided fuzzing of jipc's inbound decoder chain with Jazzer.
#
# Runs io.jipc.resilience.DecoderFuzzTest#splitDecodeAndPolicy (FrameSplitter('\f', 4096) ->
# MessageDecoder -> MessagePolicyHandler on an EmbeddedChannel, random chunkings; see DecoderHarness)
# through Maven/Surefire with JAZZER_FUZZ=1, so Jazzer fuzzes instead of replaying the seed corpus.
#
# Usage:  scripts/fuzz-decoder.sh [seconds]          (default 600)
# Env:    JIPC_TARGET        Maven build output folder under jipc-core/ (default target-fuzz)
#         JIPC_FUZZ_CORPUS   generated-corpus directory (default jipc-core/$JIPC_TARGET/fuzz-corpus); kept
#                            between runs, so later runs start where earlier ones stopped
#         JIPC_FUZZ_INSTRUMENT  classes given coverage instrumentation
#                            (default io.jipc.**,tools.jackson.core.**)
#         JIPC_FUZZ_MAX_LEN  largest input libFuzzer generates (default 16384: frames past maxFrameLength)
#
# Bounds: libFuzzer's -max_total_time=<seconds>; the whole Maven run is also killed by `timeout` at
#         seconds + 300 (build, JVM start, instrumentation). JUnit's @Timeout is switched off for the run
#         (Jazzer still uses it as libFuzzer's per-input -timeout).
# Output: libFuzzer's progress lines ("#N ... exec/s", "Done N runs in S second(s)") and the harness's
#         statistics line "[DecoderFuzzTest] inputs=…". A crashing input is written by Jazzer to
#         jipc-core/src/test/resources/io/jipc/resilience/DecoderFuzzTestInputs/splitDecodeAndPolicy/,
#         where plain `mvn test` replays it from then on (a Java reproducer goes to
#         jipc-core/$JIPC_TARGET/fuzz-reproducers); exit status is non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
target=${JIPC_TARGET:-target-fuzz}
corpus=${JIPC_FUZZ_CORPUS:-$PWD/jipc-core/$target/fuzz-corpus}
instrument=${JIPC_FUZZ_INSTRUMENT:-io.jipc.**,tools.jackson.core.**}
max_len=${JIPC_FUZZ_MAX_LEN:-16384}
mkdir -p "$corpus" "jipc-core/$target/fuzz-reproducers"
echo "fuzz-decoder: ${seconds}s, corpus $corpus, instrumenting $instrument, build folder jipc-core/$target"
JAZZER_FUZZ=1 timeout --kill-after=30 $((seconds + 300)) \
  mvn -B -q -Djipc.target="$target" -pl jipc-core test \
    -Dtest='io.jipc.resilience.DecoderFuzzTest' \
    -Djunit.jupiter.execution.timeout.mode=disabled \
    -Djazzer.instrument="$instrument" \
    -Djazzer.reproducer_path="$PWD/jipc-core/$target/fuzz-reproducers" \
    -Djazzer.internal.arg.0=fuzz-decoder \
    -Djazzer.internal.arg.1="$corpus" \
    -Djazzer.internal.arg.2=-max_total_time="$seconds" \
    -Djazzer.internal.arg.3=-max_len="$max_len" \
    -Djazzer.internal.arg.4=-print_final_stats=1
