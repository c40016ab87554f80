#!/usr/bin/env bash
# Records a CPU flame graph of one benchmark run and writes it as an HTML file a person can open
# in a browser (interactive flame graph: wider = more CPU samples; search and zoom built in).
# Usage: scripts/profile.sh cluster [cluster options...]
#   e.g. scripts/profile.sh cluster --inflight 256 --workload put --seconds 20 --out prof-out
# What it records: on-CPU samples of every Java and native thread of the bench JVM (jraft, bolt,
#   journal, LMDB, the driver), Java frames included, taken by async-profiler (the agent shipped in
#   the Maven Central jar tools.profiler:async-profiler, unpacked from bench/target/peer-libs) with
#   event `cpu` (perf_events; set TRIDENT_PROFILE_EVENT=itimer where perf_events is not allowed),
#   every 1 ms of CPU by default (TRIDENT_PROFILE_INTERVAL, e.g. 1ms). Only Trident runs: the
#   script passes --peers none (peers run in child JVMs, which this profile would not see); a
#   later --peers/--trident given here overrides that. Output: DIR/flamegraph-cpu.html beside the
#   run's cluster.csv, DIR taken from --out (default bench-out/cluster).
# Environment: TRIDENT_BENCH_HEAP (default 6g), TRIDENT_PROFILE_EVENT, TRIDENT_PROFILE_INTERVAL.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/scripts/jvm-flags.sh"

if [[ $# -eq 0 || "$1" != cluster ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit 2
fi
shift

jar="$repo/bench/target/trident-bench.jar"
profiler_jar="$(ls "$repo"/bench/target/peer-libs/async-profiler/async-profiler-*.jar 2>/dev/null | head -1 || true)"
if [[ ! -f "$jar" || -z "$profiler_jar" ]]; then
  echo "[profile.sh] missing $jar or the async-profiler jar: building the bench module" >&2
  (cd "$repo" && mvn -B -q -o package -DskipTests -pl bench >&2)
  profiler_jar="$(ls "$repo"/bench/target/peer-libs/async-profiler/async-profiler-*.jar | head -1)"
fi

out="bench-out/cluster"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ "${args[$i]}" == --out && $((i + 1)) -lt ${#args[@]} ]]; then
    out="${args[$((i + 1))]}"
  fi
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"

agent_dir="$repo/bench/target/async-profiler"
mkdir -p "$agent_dir"
unzip -o -q -j "$profiler_jar" 'linux-x64/libasyncProfiler.so' -d "$agent_dir"
event="${TRIDENT_PROFILE_EVENT:-cpu}"
interval="${TRIDENT_PROFILE_INTERVAL:-1ms}"
flame="$out/flamegraph-$event.html"

echo "[profile.sh] profiling (event=$event, interval=$interval) -> $flame" >&2
java_cmd=java
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_cmd="$JAVA_HOME/bin/java"
fi
"$java_cmd" $TRIDENT_JVM_FLAGS -Xmx"${TRIDENT_BENCH_HEAP:-6g}" \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
  -agentpath:"$agent_dir/libasyncProfiler.so=start,event=$event,interval=$interval,file=$flame" \
  -jar "$jar" cluster --peers none "$@"
if [[ -s "$flame" ]]; then
  echo "[profile.sh] flame graph: $flame" >&2
else
  echo "[profile.sh] no flame graph written (try TRIDENT_PROFILE_EVENT=itimer)" >&2
  exit 1
fi
