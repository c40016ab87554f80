#!/usr/bin/env bash
# Installs what Trident's build needs on Debian 12, only what is missing. Idempotent.
# Usage: scripts/install-deps.sh
# python3-faiss is the FAISS-through-Python peer of the search benchmark; its tests run it too.
# fuse3, libfuse3-dev and pkg-config build and mount the raft-log power-loss test file system
# (raft-log/POWER_LOSS_TESTING.md); those tests also need /dev/fuse.
# numactl runs commands under a chosen CPU/memory placement (scripts/numa-run.sh).
set -euo pipefail

packages=(g++ cmake make maven openjdk-17-jdk-headless libfaiss-dev liburing-dev libopenblas-dev
          libgtest-dev libgomp1 python3-faiss python3-numpy fuse3 libfuse3-dev pkg-config
          numactl)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "[install-deps] installing: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
else
  echo "[install-deps] all build dependencies present"
fi
if [[ ! -c /dev/fuse ]]; then
  echo "[install-deps] warning: no /dev/fuse: the raft-log FUSE power-loss tests will fail (load the fuse module, or run the container with --device /dev/fuse --cap-add SYS_ADMIN)" >&2
fi
