#!/usr/bin/env bash
# Builds qantara's libFuzzer targets with clang (ASan + UBSan) in a separate
# build dir and runs each for at most QANTARA_FUZZ_SECONDS (default 10)
# seconds from its seed corpus in tests/fuzz/corpus/<target>/. Fails on the
# first crash, leak, sanitizer report or broken invariant, naming the input
# that caused it.
#
# The same clang build (QANTARA_THREAD_SAFETY is on with QANTARA_FUZZ) first
# builds `thread_safety_check`: every qantara library and binary under
# -Wthread-safety -Werror=thread-safety. A finding fails the run, printed.
# QANTARA_JOBS sets the build's parallelism (default: nproc).
#
#   tests/fuzz/run_fuzzers.sh [BUILD_DIR]     (default: build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build-fuzz}
SECONDS_PER_TARGET=${QANTARA_FUZZ_SECONDS:-10}
TARGETS=(fuzz_segmenter fuzz_srx fuzz_normalizer fuzz_tokenizer fuzz_formats fuzz_storage_decoders fuzz_merge
  fuzz_matcher fuzz_aligner)

for tool in clang clang++; do
  command -v "$tool" >/dev/null || { echo "run_fuzzers: $tool not found (deploy/install-deps.sh installs it)" >&2; exit 1; }
done

start=$(date +%s)
mkdir -p "$BUILD_DIR"
# -O1 with line tables only (ASan's recommended level; stack traces keep file
# and line): compiles the whole tree about a third faster than -O2 -g, which
# CI's time budget needs.
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DQANTARA_FUZZ=ON -DQANTARA_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" >"$BUILD_DIR/configure.log" 2>&1 ||
  { cat "$BUILD_DIR/configure.log" >&2; exit 1; }
JOBS=${QANTARA_JOBS:-$(nproc)}
if ! cmake --build "$BUILD_DIR" -j"$JOBS" --target thread_safety_check >"$BUILD_DIR/thread_safety.log" 2>&1; then
  # The analysis' findings first (with their notes), then the end of the log.
  grep -E -A3 "\[-W(error,)?-?W?thread-safety[^]]*\]" "$BUILD_DIR/thread_safety.log" >&2 || true
  tail -n 30 "$BUILD_DIR/thread_safety.log" >&2
  echo "run_fuzzers: thread_safety_check FAILED (log: $BUILD_DIR/thread_safety.log)" >&2
  exit 1
fi
checked=$(date +%s)
echo "run_fuzzers: thread_safety_check passed (every qantara target) in $((checked - start)) s"
cmake --build "$BUILD_DIR" -j"$JOBS" --target fuzz
built=$(date +%s)
echo "run_fuzzers: built ${#TARGETS[@]} targets in $((built - checked)) s"

# A library's own leak we cannot mend (tests/fuzz/lsan.supp says which and why).
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for t in "${TARGETS[@]}"; do
  work="$BUILD_DIR/fuzz/corpus/$t"
  artifacts="$BUILD_DIR/fuzz/artifacts"
  mkdir -p "$work" "$artifacts"
  echo "run_fuzzers: $t for ${SECONDS_PER_TARGET} s"
  # New inputs go to $work; the seeds in the repository are only read.
  if ! "$BUILD_DIR/fuzz/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -max_len=4096 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
      "$work" "tests/fuzz/corpus/$t" >"$artifacts/$t.log" 2>&1; then
    tail -n 40 "$artifacts/$t.log" >&2
    echo "run_fuzzers: $t FAILED; crashing input saved under $artifacts/" >&2
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added)" "$artifacts/$t.log" | tr '\n' ' '
  echo
done
echo "run_fuzzers: all ${#TARGETS[@]} targets passed in $(( $(date +%s) - start )) s"

# The malformed-input matrix (tests/e2e/malformed_matrix_test.py) against this
# build's ASan + UBSan server: every report goes to a file in $logs, and any
# file there fails the test. Needs the Python stubs of the main build
# (QANTARA_PY_STUBS, default build/tests/testing/pystubs); skipped without.
stubs=${QANTARA_PY_STUBS:-build/tests/testing/pystubs}
if [ -d "$stubs/qantara" ]; then
  logs="$PWD/$BUILD_DIR/matrix-sanitizer-logs"
  rm -rf "$logs" && mkdir -p "$logs"
  matrix_start=$(date +%s)
  if ! QANTARA_SANITIZER_LOGS="$logs" \
      ASAN_OPTIONS="log_path=$logs/asan:halt_on_error=1:detect_leaks=1" \
      UBSAN_OPTIONS="log_path=$logs/ubsan:halt_on_error=1:print_stacktrace=1" \
      /usr/bin/python3 tests/e2e/malformed_matrix_test.py --server-bin "$BUILD_DIR/bin/qantara-server" \
      --cli-bin "$BUILD_DIR/bin/qantara" --stubs "$stubs" >"$BUILD_DIR/matrix.log" 2>&1; then
    tail -n 60 "$BUILD_DIR/matrix.log" >&2
    echo "run_fuzzers: the malformed-input matrix under ASan + UBSan FAILED (log: $BUILD_DIR/matrix.log)" >&2
    exit 1
  fi
  grep -oE "matrix: [0-9]+ requests.*|sanitizer reports.*" "$BUILD_DIR/matrix.log" || true
  echo "run_fuzzers: malformed-input matrix under ASan + UBSan passed in $(( $(date +%s) - matrix_start )) s"
else
  echo "run_fuzzers: no Python stubs in $stubs: the matrix under ASan + UBSan is skipped"
fi
