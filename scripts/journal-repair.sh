#!/usr/bin/env bash
# Cuts a Trident Raft journal at its first bad record, for when the node refuses to start with
# CorruptJournalException (corruption before valid records, i.e. not a torn tail). Stop the node
# first. Prints the first bad record (file, offset), the log the cut leaves and how many entries
# it drops; keeps the original as DIR.corrupt-<millis>. See raft-log/README.md before using it.
# Usage: scripts/journal-repair.sh DIR [--dry-run]      (DIR: the node's NodeOptions.logUri)
# Environment: TRIDENT_MAVEN_ARGS, extra Maven arguments (e.g. -Dmaven.repo.local=...).
# Exit status: 0 sound, repaired or reported (--dry-run); 1 failure; 2 bad usage.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/scripts/jvm-flags.sh"
if [[ $# -lt 1 || $# -gt 2 ]]; then
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
  exit 2
fi
classes="$repo/raft-log/target/classes"
classpath_file="$repo/raft-log/target/journal-repair.classpath"
# shellcheck disable=SC2086
if [[ ! -d "$classes/io/trident/raftlog" ]]; then
  echo "[journal-repair] building raft-log ..." >&2
  (cd "$repo" && mvn -B -q ${TRIDENT_MAVEN_ARGS:-} -pl raft-log -am install -DskipTests >&2)
fi
if [[ ! -s "$classpath_file" || "$repo/raft-log/pom.xml" -nt "$classpath_file" ]]; then
  # shellcheck disable=SC2086
  (cd "$repo" && mvn -B -q ${TRIDENT_MAVEN_ARGS:-} -pl raft-log dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$classpath_file" >&2)
fi
exec java $TRIDENT_JVM_FLAGS -cp "$classes:$(cat "$classpath_file")" io.trident.raftlog.JournalRepair "$@"
