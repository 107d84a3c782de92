#!/usr/bin/env bash
# Builds qantara with ThreadSanitizer (clang, -DQANTARA_SANITIZE=thread) in a
# separate build dir and runs its concurrency tests: the storage and
# service/tm unit tests whose threads meet (background index writes,
# compactions, caches under a budget, atomic adds, imports with batches in
# flight, backups under load, the stress test of create/delete/add/import/
# lookup on the same names with a shutdown under load). Fails on the first
# TSan report (halt_on_error) or test failure, printing it.
#
# The server is not run under TSan here: gRPC core, upb and abseil's Status
# and Cord (uninstrumented) report their own libc calls one after another
# (see tests/tsan/suppressions.txt); e2e_server_load (several clients, then
# SIGTERM under load) runs in the ordinary suite instead.
#
# Debian's RocksDB, gRPC, protobuf and ICU are not instrumented;
# tests/tsan/suppressions.txt says what that costs and what is suppressed;
# tests/tsan/absl_tsan.cc makes abseil's Mutex visible to TSan.
# QANTARA_JOBS sets the build's parallelism (default: nproc).
#
#   tests/tsan/run_tsan.sh [BUILD_DIR]     (default: build-tsan)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${1:-build-tsan}
JOBS=${QANTARA_JOBS:-$(nproc)}
# The gtest binaries (in BUILD_DIR/tests/).
UNIT_TESTS=(
  tm_memories_stress_test
  storage_memory_store_background_test
  storage_memory_lifecycle_test
  storage_cache_budget_test
  storage_list_cache_test
  storage_atomic_add_test
  storage_write_gate_test
  tm_importer_test
  tm_import_resume_test
)

for tool in clang clang++; do
  command -v "$tool" >/dev/null || { echo "run_tsan: $tool not found (deploy/install-deps.sh installs it)" >&2; exit 1; }
done

start=$(date +%s)
mkdir -p "$BUILD_DIR"
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DQANTARA_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >"$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log" >&2; exit 1; }
if ! cmake --build "$BUILD_DIR" -j"$JOBS" --target "${UNIT_TESTS[@]}" \
    >"$BUILD_DIR/build.log" 2>&1; then
  grep -E -A5 "error" "$BUILD_DIR/build.log" | head -n 60 >&2 || true
  tail -n 20 "$BUILD_DIR/build.log" >&2
  echo "run_tsan: build FAILED (log: $BUILD_DIR/build.log)" >&2
  exit 1
fi
built=$(date +%s)
echo "run_tsan: built ${#UNIT_TESTS[@]} tests in $((built - start)) s"

# halt_on_error: the first report fails the run (exit code 66).
# second_deadlock_stack: lock-order reports show both acquisitions.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 exitcode=66 history_size=4 suppressions=$PWD/tests/tsan/suppressions.txt ${TSAN_OPTIONS:-}"
export QANTARA_SOURCE_DIR=$PWD QANTARA_SHARED=$PWD/../shared
logs="$BUILD_DIR/tsan-logs"
mkdir -p "$logs"
failed=0
for t in "${UNIT_TESTS[@]}"; do
  t0=$(date +%s)
  if "$BUILD_DIR/tests/$t" >"$logs/$t.log" 2>&1; then
    echo "run_tsan: $t passed in $(( $(date +%s) - t0 )) s"
  else
    rc=$?
    # The TSan report (or the failing test) first, then the end of the log.
    grep -E -A60 "WARNING: ThreadSanitizer" "$logs/$t.log" | head -n 120 >&2 || grep -E -B2 -A20 "Failure|FAILED" "$logs/$t.log" | head -n 80 >&2 || true
    tail -n 5 "$logs/$t.log" >&2
    echo "run_tsan: $t FAILED (exit $rc; log: $logs/$t.log)" >&2
    failed=1
  fi
done

[ "$failed" = 0 ] || exit 1
echo "run_tsan: no ThreadSanitizer report; all passed in $(( $(date +%s) - start )) s"
