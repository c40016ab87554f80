#!/usr/bin/env bash
# Builds everything (native code included) and runs every test: C++ (ctest) and Java (JUnit).
# Prints each module's test summary; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx1g"
mvn -B -ntp install "$@"
