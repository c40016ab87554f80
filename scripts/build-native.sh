#!/usr/bin/env bash
# Builds the native module (libtrident_core.so + JNI glue, in the trident-native jar) for one x86
# target, so a fleet can run one build:
#   generic  any x86-64 (the default of every build; kernels chosen at load: scalar/AVX2/AVX-512)
#   avx2     x86-64-v3 baseline (Haswell and newer), kernels still chosen at load
#   avx512   x86-64-v4 baseline (Skylake-SP and newer); refuses to load on CPUs without it
#
# Usage: scripts/build-native.sh [--march generic|avx2|avx512] [--test] [--out DIR] [MAVEN ARGS...]
#   --test  also run the kernel tests (ctest: distance kernels, HNSW search, vector index) and the
#           load test (TridentNativeTest) on this build, and for generic check that no object
#           outside the per-ISA kernel files uses AVX registers.
#   --out   copy the jar to DIR/trident-native-<march>.jar (default: native/target).
# The jar is left in native/target as well; the next plain build (scripts/test.sh, mvn install)
# rebuilds the generic target there.
set -euo pipefail
cd "$(dirname "$0")/.."
march=generic
run_tests=false
out=native/target
maven_args=()
repo="$HOME/.m2/repository"
while [ $# -gt 0 ]; do
  case "$1" in
    --march) march="$2"; shift 2 ;;
    --test) run_tests=true; shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -Dmaven.repo.local=*) repo="${1#-Dmaven.repo.local=}"; maven_args+=("$1"); shift ;;
    *) maven_args+=("$1"); shift ;;
  esac
done
case "$march" in
  generic|avx2|avx512) ;;
  *) echo "build-native.sh: --march must be generic, avx2 or avx512, not '$march'" >&2; exit 2 ;;
esac

echo "== building trident-native for x86 target '$march'"
mvn -B -ntp -pl native -Dtrident.march="$march" -DskipTests "${maven_args[@]}" package
jar=$(ls native/target/trident-native-*.jar | grep -v -- '-sources' | head -1)
mkdir -p "$out"
cp "$jar" "$out/trident-native-$march.jar"
echo "== jar: $out/trident-native-$march.jar"

if [ "$run_tests" = true ]; then
  echo "== kernel tests on the $march build"
  ctest --test-dir native/target/cmake --output-on-failure --timeout 300 \
    -R 'Distance|HalfPrecision|Hnsw|VectorIndex|EverySpec|FilteredSearch|CpuTopology|ThreadPlacement'
  if [ "$march" = generic ]; then
    echo "== generic: AVX registers only in the per-ISA kernel objects"
    bad=0
    for object in native/target/cmake/native/CMakeFiles/trident_core.dir/src/*.o; do
      case "$object" in *_avx2.cc.o|*_avx512.cc.o) continue ;; esac
      uses=$(objdump -d --no-show-raw-insn "$object" | grep -c '%[yz]mm' || true)
      if [ "$uses" -gt 0 ]; then echo "  $object: $uses AVX instructions"; bad=1; fi
    done
    [ "$bad" = 0 ] || { echo "generic build uses AVX outside the kernel files" >&2; exit 1; }
  fi
  echo "== load test on the $march build"
  mvn -B -ntp -q -pl native -Dtrident.march="$march" -DskipNativeTests=true \
    -Dtest=TridentNativeTest "${maven_args[@]}" surefire:test
  javacpp=$(find "$repo/org/bytedeco/javacpp" -name 'javacpp-*.jar' ! -name '*-linux-*' \
    ! -name '*-sources*' 2>/dev/null | head -1)
  if [ -n "$javacpp" ]; then
    java -cp "$out/trident-native-$march.jar:$javacpp" io.trident.nativelib.TridentNative
  fi
fi
