#!/usr/bin/env bash
# kill-restart-50.sh — the KillRestartTest scenario with 50 SIGKILLs of the server process.
#
# Runs io.jipc.resilience.KillRestartTest through Maven/Surefire with -Djipc.kills=<kills>: a jipc
# server in a child JVM is killed (Process.destroyForcibly) in the middle of a numbered stream and
# restarted on the same socket path, <kills> times; one jipc client (retry 30 ms) keeps emitting. It
# prints "[KillRestartTest] …": totals, one line per connection (written, delivered, lost, failed,
# carried over) and the exact lost sequence numbers; it asserts one reconnect per kill, that every
# emit completed or failed with a reason, and that loss is only ever a tail of a killed connection.
#
# Usage:  scripts/kill-restart-50.sh [kills] [batch]  (defaults 50 and 300 messages per connection)
# Env:    JIPC_TARGET           Maven build output folder under jipc-core/ (default target-kill)
#         JIPC_KILL_SEED        seed of the kill points (default: the test's fixed seed)
#         JIPC_SCRIPT_TIMEOUT   bound on the whole run in seconds (default 600)
#
# JUnit's 60 s @Timeout is switched off for this run (each kill costs a JVM start, ~1 s); every wait
# inside the test is bounded (30 s), and `timeout` bounds the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
batch=${2:-300}
target=${JIPC_TARGET:-target-kill}
limit=${JIPC_SCRIPT_TIMEOUT:-600}
seed_arg=()
if [ -n "${JIPC_KILL_SEED:-}" ]; then
  seed_arg=(-Djipc.kill.seed="$JIPC_KILL_SEED")
fi
echo "kill-restart: $kills kills, $batch messages per connection, build folder jipc-core/$target"
timeout --kill-after=30 "$limit" \
  mvn -B -q -Djipc.target="$target" -pl jipc-core test \
    -Dtest='io.jipc.resilience.KillRestartTest' \
    -Djunit.jupiter.execution.timeout.mode=disabled \
    -Djipc.kills="$kills" -Djipc.kill.batch="$batch" ${seed_arg[@]+"${seed_arg[@]}"}
