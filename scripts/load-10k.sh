#!/usr/bin/env bash
# load-10k.sh — the LoadTest scenario with 10,000 concurrent Unix-socket clients.
#
# Runs io.jipc.resilience.LoadTest through Maven/Surefire with -Djipc.load.clients=<clients>: one jipc
# server in the test JVM, the clients in a child JVM (4 Ipc instances), every client must connect and
# receive one broadcast exactly once; prints "[LoadTest] RESULT …" lines with the connect time, the
# broadcast fan-out time and the server's heap per idle connection.
#
# Usage:  scripts/load-10k.sh [clients]            (default 10000)
# Env:    JIPC_TARGET           Maven build output folder under jipc-core/ (default target-load)
#         JIPC_SCRIPT_TIMEOUT   bound on the whole run in seconds (default 900)
#
# Descriptors: each JVM needs about <clients> + 400. The script raises this shell's soft `ulimit -n`
# to the hard limit (it never touches the hard limit or system settings); when that is still too low,
# LoadTest scales the client count down and logs it (or skips below 100). JUnit's 60 s @Timeout is
# switched off for this run; LoadTest's own waits scale with the client count (max(40 s, N/100 s)),
# and `timeout` bounds the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-10000}
target=${JIPC_TARGET:-target-load}
limit=${JIPC_SCRIPT_TIMEOUT:-900}
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ]; then
  hard=1048576
fi
ulimit -Sn "$hard" || echo "load-10k: could not raise ulimit -n to $hard; keeping $(ulimit -Sn)"
echo "load-10k: $clients clients, ulimit -n $(ulimit -Sn) (hard $(ulimit -Hn)), need ~$((clients + 400)) per JVM, build folder jipc-core/$target"
timeout --kill-after=30 "$limit" \
  mvn -B -q -Djipc.target="$target" -pl jipc-core test \
    -Dtest='io.jipc.resilience.LoadTest' \
    -Djunit.jupiter.execution.timeout.mode=disabled \
    -Djipc.load.clients="$clients"
