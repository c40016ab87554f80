#!/usr/bin/env bash
# Runs any bench/demo command under a chosen CPU and memory placement (numactl), and tells the
# Trident bench tools what it chose (TRIDENT_PLACEMENT, recorded in their output and in
# placement.txt beside their results).
#
# Usage: scripts/numa-run.sh PLACEMENT -- COMMAND [ARGS...]
#   PLACEMENT is one of
#     none              no numactl at all (the baseline to compare with)
#     cpus:LIST         numactl --physcpubind=LIST (e.g. cpus:1, cpus:0-3,8)
#     node:N            numactl --cpunodebind=N --membind=N (CPUs and memory of node N)
#     numactl:ARGS      any numactl arguments, comma-separated (numactl:--interleave=all)
# Examples:
#   scripts/numa-run.sh cpus:1 -- scripts/bench.sh journal --batch 128 --seconds 10 --out DIR
#   scripts/numa-run.sh node:0 -- scripts/bench.sh async --data data-gen/clustered100k --out DIR
# Thread-level placement (only the journal's disk thread, only search workers) is the bench
# tools' own --placement option and NodeOptions.journalThreadPlacement/searchThreadPlacement.
set -euo pipefail
if [ $# -lt 3 ] || [ "$2" != "--" ]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
placement="$1"
shift 2
case "$placement" in
  none) numactl_args=() ;;
  cpus:*) numactl_args=("--physcpubind=${placement#cpus:}") ;;
  node:*) node="${placement#node:}"; numactl_args=("--cpunodebind=$node" "--membind=$node") ;;
  numactl:*) IFS=',' read -r -a numactl_args <<< "${placement#numactl:}" ;;
  *) echo "numa-run.sh: placement must be none, cpus:LIST, node:N or numactl:ARGS" >&2; exit 2 ;;
esac
if [ ${#numactl_args[@]} -eq 0 ]; then
  export TRIDENT_PLACEMENT="none (numa-run.sh)"
  exec "$@"
fi
if ! command -v numactl > /dev/null; then
  echo "numa-run.sh: numactl is not installed (apt-get install numactl;" \
    "scripts/install-deps.sh does)" >&2
  exit 2
fi
# numactl checks the placement itself: an absent node or CPU fails here, before the command runs.
if ! numactl "${numactl_args[@]}" true > /dev/null 2>&1; then
  echo "numa-run.sh: numactl refused '${numactl_args[*]}' on this machine:" \
    "$(numactl --hardware | head -2 | tr '\n' ' ')" >&2
  exit 2
fi
export TRIDENT_PLACEMENT="numactl ${numactl_args[*]}"
echo "numa-run.sh: $TRIDENT_PLACEMENT -- $*" >&2
exec numactl "${numactl_args[@]}" "$@"
