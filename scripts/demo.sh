#!/usr/bin/env bash
# The main job on an embedded default: builds Trident (native code included), builds one HNSW
# index over ../shared/data/sift5k (or the dataset directory given), and prints the seed-000
# concurrency table (level, success %, qps, avg/p95/p99 ms) plus recall@10. Writes
# bench-out/demo/sweep.csv and sweep.png. Then an embedded 3-member cluster ingests the same data
# set into a replicated collection, loses its leader mid-ingest and shows that every acknowledged
# vector is searchable on every member with the same hits (CollectionClusterDemo), and the KV
# failover demo (ClusterDemo).
# Usage: scripts/demo.sh [DATASET_DIR] [--index HNSW32] [--ef 192] [--levels 1,2,4,8,16,64]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

data="$root/../shared/data/sift5k"
if [[ $# -gt 0 && "$1" != --* ]]; then
  data="$1"
  shift
fi

scripts/install-deps.sh
echo "[demo] building (mvn install -DskipTests; incremental after the first run)" >&2
mvn -B -q -ntp install -DskipTests >&2

source scripts/jvm-flags.sh
java $TRIDENT_JVM_FLAGS -Xmx4g -cp bench/target/trident-bench.jar \
  io.trident.bench.demo.DemoMain --data "$data" --out "$root/bench-out/demo" "$@"
echo "[demo] embedded 3-member cluster, collection: ingest $data, lose the leader mid-ingest," \
  "check nothing acknowledged was lost and every member returns the same hits" >&2
java $TRIDENT_JVM_FLAGS -Xmx2g -cp bench/target/trident-bench.jar \
  io.trident.bench.demo.CollectionClusterDemo "$data"
echo "[demo] embedded 3-member cluster: write, lose the leader, check nothing was lost" >&2
exec java $TRIDENT_JVM_FLAGS -Xmx2g -cp bench/target/trident-bench.jar \
  io.trident.bench.demo.ClusterDemo
