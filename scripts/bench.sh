#!/usr/bin/env bash
# Runs Trident's benchmark tools from bench/target/trident-bench.jar, building it if missing.
# Usage: scripts/bench.sh gen     --n 100000 --d 128 --queries 1000 --out data-gen/clustered100k
#        scripts/bench.sh search  --base B.fvecs --query Q.fvecs [--gt G.ivecs] --index HNSW32
#                                 [--ef 16,32,64] [--nprobe 1,4,16] --k 10 --threads 1,2
#                                 [--peers lucene,jvector,hnswlib,faiss] --out DIR
#        scripts/bench.sh filtered --data DIR --index HNSW32 [--ef 16,32,64] [--nprobe 8,16,32]
#                                 [--selectivity 0.1,0.01] [--seed 7] --out DIR
#                                 (filtered vs unfiltered recall@10 and QPS; DIR/filtered.csv + PNG)
#        scripts/bench.sh async   --data DIR --index HNSW32 [--ef 64] [--callers 1,16,256]
#                                 [--modes sync,async,async1,asynccb] [--placement cpus:1] --out DIR
#                                 (sync vs async p50/p99/QPS by callers; DIR/async-sweep.csv + PNGs)
#        scripts/bench.sh restart --n 100000 --d 128 --index HNSW32 [--tail 1000] [--rounds 3]
#                                 --out DIR
#                                 (restart-to-searchable, index loaded from the snapshot vs rebuilt;
#                                 DIR/restart.csv + PNG; see bench/.../recovery/RestartBenchTool.md)
#        scripts/bench.sh journal ...            (journal benchmark; --placement cpus:LIST|node:N)
#        scripts/bench.sh cluster --nodes 3 --inflight 1,16,256,1024 --value-bytes 100 --seconds 20
#                                 [--workload put|mix90|both] [--peers jraft-rocksdb,rheakv,etcd|none]
#                                 [--trident true|false] --out DIR
#                                 (replicated KV closed loop; table, DIR/cluster.csv + PNGs, summary
#                                 line; installs Debian etcd-server with apt-get if etcd is missing;
#                                 rheakv and etcd/jetcd run in child JVMs on bench/target/peer-libs)
#        scripts/bench.sh sweep   --nodes 3 --data DIR --index HNSW32 --ef 128
#                                 --concurrency 1,2,4,8,16,64,256 --out DIR
#                                 (member processes on 127.0.0.1: ingest through Raft, acknowledged
#                                 and searchable vectors/s, then the seed-000 table from all members;
#                                 bench/src/main/java/io/trident/bench/sweep/SweepTool.md)
#        scripts/bench.sh jmh [JMH options]      (e.g. jmh VectorSearchBenchmark -f 1 -wi 2 -i 3)
# Environment: TRIDENT_BENCH_REBUILD=1 rebuilds the jar; TRIDENT_BENCH_HEAP (default 6g);
#              TRIDENT_BENCH_PEER_JDK: JDK 21+ home for the Lucene 10 peer (default: newest
#              under /usr/lib/jvm).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
jar="$repo/bench/target/trident-bench.jar"

source "$repo/scripts/jvm-flags.sh"

build_jar() (
  echo "[bench.sh] building $jar ..." >&2
  cd "$repo"
  # Fast path: the other modules are already installed in ~/.m2; build only bench.
  if ! mvn -B -q -o package -DskipTests -pl bench >&2; then
    echo "[bench.sh] bench alone did not build; installing its dependencies too (slow)" >&2
    flock /tmp/trident-native.lock mvn -B -q install -DskipTests -pl bench -am >&2
  fi
)

if [[ $# -eq 0 ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit 2
fi
if [[ ! -f "$jar" || "${TRIDENT_BENCH_REBUILD:-0}" == 1 ]]; then
  build_jar
fi

java_cmd=java
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_cmd="$JAVA_HOME/bin/java"
fi
exec "$java_cmd" $TRIDENT_JVM_FLAGS -Xmx"${TRIDENT_BENCH_HEAP:-6g}" -jar "$jar" "$@"
