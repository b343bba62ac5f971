#!/usr/bin/env bash
# jipc-bench/run.sh: the one benchmark script. Runs, back to back in one go on this machine:
#   the C limit (shared harness c/run.sh), node-ipc 14.0.0 (shared harness bench/run.js --lib=v14, packages from
#   interop/install.sh) and jipc (two JVMs, BenchMain run) for the five workloads x unix/tcp/tls, plus jipc raw
#   mode, "jipc warm" and "jipc raw warm" rows (ping-pong, flood, flood16k, broadcast, churn after a long untimed warm-up: the
#   JIT-compiled steady state), heap per idle connection and a short JMH pass (-prof gc);
# then prints every workload with the ratios jipc/node-ipc and jipc/C, and writes jipc-bench/RESULTS.md,
# jipc-bench/results.png and jipc-bench/results/{summary.txt,results.jsonl,jmh.txt}.
#
#   jipc-bench/run.sh                 # everything, about 10-12 min on a 2-vCPU VM (hard budget MAX_SECS=840)
#   env: TRANSPORTS="unix tcp tls" BENCHES="pingpong flood flood16k broadcast churn" JMH=1 MAX_SECS=840
#        JIPC_TARGET=target-bench (Maven output folder name, see the parent pom)  OUT=/tmp/nodeipc-lab/jipc-bench-<date>
#        JIPC_BENCH_JVM_OPTS="-Xms256m -Xmx1g" (options of every benchmark JVM; %ROLE% = server|client)
#        AOT_JAVA=<the java command of a JDK 25 or later> adds the cold-start table: the cold flood, broadcast and
#        churn rows again on that JDK, without and with an AOT cache written by a training run (about 4 min more)
# Every step is bounded: timeout(1) around each process, per-process max-seconds, alarm(30) in the C program.
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
HARNESS="${HARNESS:-/work/shared/bench/nodeipc}"
TRANSPORTS="${TRANSPORTS:-unix tcp tls}"
BENCHES="${BENCHES:-pingpong flood flood16k broadcast churn}"
JMH="${JMH:-1}"
MAX_SECS="${MAX_SECS:-840}"
JIPC_TARGET="${JIPC_TARGET:-target-bench}"
OUT="${OUT:-/tmp/nodeipc-lab/jipc-bench-$(date +%Y%m%d-%H%M%S)}"
JAR="$HERE/$JIPC_TARGET/benchmarks.jar"
AOT_JAVA="${AOT_JAVA:-}"
CMD="jipc-bench/run.sh  # TRANSPORTS=\"$TRANSPORTS\" BENCHES=\"$BENCHES\" JMH=$JMH${AOT_JAVA:+ AOT_JAVA=<JDK 25 java>}"
START=$SECONDS
mkdir -p "$OUT" /tmp/nodeipc-lab
SUM="$OUT/summary.txt"
: > "$SUM"

log() { echo "$*" | tee -a "$SUM"; }
budget() { if (( SECONDS - START > MAX_SECS )); then log "# skipped (time budget MAX_SECS=$MAX_SECS): $*"; return 1; fi; return 0; }

# 1. build when the jar is missing or older than any source or pom
need_build=0
[ -f "$JAR" ] || need_build=1
if [ $need_build = 0 ] && [ -n "$(find "$ROOT/pom.xml" "$ROOT/jipc-core/pom.xml" "$ROOT/jipc-core/src/main" "$HERE/pom.xml" "$HERE/src/main" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  need_build=1
fi
if [ $need_build = 1 ]; then
  echo "building benchmarks.jar (mvn, -Djipc.target=$JIPC_TARGET)…" >&2
  ( cd "$ROOT" && timeout 600 mvn -B -q -Djipc.target="$JIPC_TARGET" -DskipTests install -pl jipc-core,jipc-bench -am ) >&2 \
    || { echo "build failed" >&2; exit 1; }
fi

# 2. node-ipc peers (pinned lockfile, --ignore-scripts) and TLS certs
NODEIPC_DIR="$(timeout 600 "$ROOT/interop/install.sh" | tail -n 1)" || { echo "interop/install.sh failed" >&2; exit 1; }
export NODEIPC_DIR
CERTS=/tmp/nodeipc-lab/certs
"$HARNESS/certs/gen-certs.sh" "$CERTS" >/dev/null

{
  echo "# $(date -Is) $(uname -r) node $(node -v) $(java -version 2>&1 | head -1) nproc=$(nproc) $(grep -m1 'model name' /proc/cpuinfo)"
  echo "# node peers: cache $(basename "$NODEIPC_DIR"), jar ${JAR#"$ROOT"/}" # no machine paths in the committed summary
} | tee -a "$SUM"

java_bench() { timeout 120 java -cp "$JAR" io.jipc.bench.BenchMain run --out="$OUT/results.jsonl" --certs="$CERTS" "$@" 2>&1 | tee -a "$SUM"; }
node_bench() { timeout 90 node "$HARNESS/bench/run.js" --lib=v14 --runs=1 --out="$OUT/results.jsonl" "$@" 2>&1 | tee -a "$SUM"; }

# 3. the C limit (pingpong + flood, unix + tcp)
budget "c-limit" && timeout 400 "$HARNESS/c/run.sh" 1 2>&1 | tee -a "$SUM"

# 4. node-ipc 14.0.0 and jipc, workload by workload (adjacent runs see the same machine noise)
for t in $TRANSPORTS; do
  for b in $BENCHES; do
    budget "$b $t" || continue
    node_bench --bench="$b" --transport="$t"
    java_bench --bench="$b" --transport="$t"
    case $b in
      pingpong)
        java_bench --bench=pingpong --transport="$t" --warmup=30000 ;;
      churn)
        java_bench --bench=churn --transport="$t" --warmup=20000 ;;
      # warm rows: the same timed count after untimed messages in the same stream (server times the last n) or
      # untimed broadcasts first; ~3-8 s each, max-seconds 30 bounds the warm-up too
      flood)
        java_bench --bench=flood --transport="$t" --warmup=3000000 --max-seconds=30
        # the same from an application thread (the default emits on the client's I/O thread, as Node does)
        [ "$t" = unix ] && java_bench --bench=flood --transport="$t" --warmup=3000000 --max-seconds=30 --emit-thread=app
        # the same with the server binding each payload to a record (on(type, Class, handler))
        [ "$t" = unix ] && java_bench --bench=flood --transport="$t" --warmup=3000000 --max-seconds=30 --typed ;;
      flood16k)
        [ "$t" = tls ] || java_bench --bench=flood16k --transport="$t" --warmup=200000 --max-seconds=30 ;;
      broadcast)
        java_bench --bench=broadcast --transport="$t" --warmup=100000 --max-seconds=30
        # the same with the clients binding each payload to a record (on(type, Class, handler))
        [ "$t" = unix ] && java_bench --bench=broadcast --transport="$t" --warmup=100000 --max-seconds=30 --typed ;;
    esac
    # the warm rows again with both peers' event loops polling 50 us before they sleep (IpcConfig.busyPollMicros)
    case "$b/$t" in
      pingpong/unix|pingpong/tcp) java_bench --bench=pingpong --transport="$t" --warmup=30000 --busy-poll=50 ;;
      flood/unix|flood/tcp) java_bench --bench=flood --transport="$t" --warmup=3000000 --max-seconds=30 --busy-poll=50 ;;
      broadcast/unix|broadcast/tcp) java_bench --bench=broadcast --transport="$t" --warmup=100000 --max-seconds=30 --busy-poll=50 ;;
      churn/unix|churn/tcp) java_bench --bench=churn --transport="$t" --warmup=20000 --busy-poll=50 ;;
    esac
    case "$b/$t" in
      pingpong/unix|pingpong/tcp|flood/*|flood16k/*)
        [ "$t" = tls ] || java_bench --bench="$b" --transport="$t" --raw ;;
    esac
    # raw mode after the same untimed warm-up as the framed warm rows
    case "$b/$t" in
      flood/unix|flood/tcp) java_bench --bench=flood --transport="$t" --raw --warmup=3000000 --max-seconds=30 ;;
      flood16k/unix|flood16k/tcp) java_bench --bench=flood16k --transport="$t" --raw --warmup=200000 --max-seconds=30 ;;
    esac
  done
  case $t in unix|tcp) budget "idle $t" && java_bench --bench=idle --transport="$t" ;; esac
done

# 4b. cold start on JDK 25+ (AOT_JAVA), per cold workload and transport: the peers as they are (jvm=jdk25); a
#     training run that writes one AOT cache per role when it exits (jvm=aot-training, not in the tables); the same
#     workload again with those caches, required (-XX:AOTMode=on: a cache that does not load fails the run)
BASE_OPTS="${JIPC_BENCH_JVM_OPTS:--Xms256m -Xmx1g}"
aot_bench() { timeout 180 "$AOT_JAVA" -cp "$JAR" io.jipc.bench.BenchMain run --out="$OUT/results.jsonl" --certs="$CERTS" "$@" 2>&1 | tee -a "$SUM"; }
AOT_VERSION=""
if [ -n "$AOT_JAVA" ]; then
  AOT_VERSION="$("$AOT_JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  if [ "${AOT_VERSION%%.*}" -ge 25 ] 2>/dev/null; then
    mkdir -p "$OUT/aot"
    for t in $TRANSPORTS; do
      for b in flood broadcast churn; do
        case " $BENCHES " in *" $b "*) ;; *) continue ;; esac
        budget "cold start on JDK $AOT_VERSION, $b $t" || continue
        cache="$OUT/aot/$b-$t-%ROLE%.aot"
        JIPC_BENCH_JVM_OPTS="$BASE_OPTS" aot_bench --bench="$b" --transport="$t" --jvm=jdk25
        # a peer writes its cache as it exits, which takes a few seconds: up to 60 s before it is killed
        JIPC_BENCH_JVM_OPTS="$BASE_OPTS -XX:AOTCacheOutput=$cache" aot_bench --bench="$b" --transport="$t" \
          --jvm=aot-training --exit-wait=60
        JIPC_BENCH_JVM_OPTS="$BASE_OPTS -XX:AOTMode=on -XX:AOTCache=$cache" aot_bench --bench="$b" --transport="$t" \
          --jvm=jdk25-aot
      done
    done
  else
    log "# skipped the cold-start table: AOT_JAVA is not a JDK 25 or later (java.specification.version=$AOT_VERSION)"
  fi
fi

# 5. JMH micro-benchmarks (short), with the GC profiler: allocation per operation
if [ "$JMH" = 1 ] && budget "jmh"; then
  # RawPathBenchmark: raw send (emit, offer) and receive over a real Unix socket, allocation per message
  timeout 400 java -cp "$JAR" org.openjdk.jmh.Main 'CodecBenchmark|SplitterBenchmark|RawPathBenchmark' -wi 2 -w 1s -i 3 -r 1s \
      -f 1 -prof gc -rf text -rff "$OUT/jmh.txt" > "$OUT/jmh.log" 2>&1 || echo "# jmh failed, see $OUT/jmh.log" | tee -a "$SUM"
  grep -E '^Benchmark|[:·]gc.alloc.rate.norm|^(Codec|Splitter|RawPath)Benchmark\.[A-Za-z]+ ' "$OUT/jmh.txt" 2>/dev/null \
    | sed 's/^/# jmh /' | tee -a "$SUM"
fi
echo "# done $(date -Is) in $((SECONDS - START)) s" | tee -a "$SUM"

# 6. tables, ratios, RESULTS.md, chart; keep the small results next to them
mkdir -p "$HERE/results"
cp "$SUM" "$HERE/results/summary.txt"
cp "$OUT/results.jsonl" "$HERE/results/results.jsonl" 2>/dev/null
[ -f "$OUT/jmh.txt" ] && cp "$OUT/jmh.txt" "$HERE/results/jmh.txt"
MACHINE="$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), $(java -version 2>&1 | head -1), node $(node -v), JVM options \`${JIPC_BENCH_JVM_OPTS:--Xms256m -Xmx1g}\`${AOT_VERSION:+, cold-start table on JDK $AOT_VERSION}, whole script $((SECONDS - START)) s"
java -cp "$JAR" io.jipc.bench.BenchMain report --summary="$SUM" --md="$HERE/RESULTS.md" --png="$HERE/results.png" \
  --command="$CMD" --machine="$MACHINE"
echo "raw data: $OUT"
